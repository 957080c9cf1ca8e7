import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type BerthClient } from '@berth/client';
import { afterEach, describe, expect, test } from 'vitest';
import { startServer } from '../../server.js';
import { failure } from '../../test-support/api-failure.js';
import { startTestServer, type TestServer } from '../../test-support/harness.js';
import { BERTH_VERSION } from '../../version.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const facts = {
  nodeName: 'berth-1',
  datacenter: 'eu-west',
  bindAddr: '10.1.2.3',
  advertiseAddr: '10.1.2.3',
  httpPort: 4646,
};

describe('status and regions', () => {
  test('the leader and the peers are this server, named by its IP and the RPC port', async () => {
    server = await startTestServer({ self: facts });
    expect((await server.client.status.leader()).data).toBe('10.1.2.3:4647');
    expect((await server.client.status.peers()).data).toEqual(['10.1.2.3:4647']);
    expect((await server.client.regions.list()).data).toEqual(['global']);
    // A JSON string on the wire, quotes included, as Nomad's.
    const raw = await server.inject({ method: 'GET', url: '/v1/status/leader' });
    expect(raw.headers['content-type']).toMatch(/^application\/json/);
    expect(raw.body).toBe('"10.1.2.3:4647"');
  });

  test('an IPv6 address is bracketed', async () => {
    server = await startTestServer({ self: { advertiseAddr: '::1' } });
    expect((await server.client.status.leader()).data).toBe('[::1]:4647');
  });

  test('a bad query option is refused with Nomad text', async () => {
    server = await startTestServer();
    const res = await server.inject({ method: 'GET', url: '/v1/status/peers?stale=maybe' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
  });

  test('another method is refused', async () => {
    server = await startTestServer();
    const res = await server.inject({ method: 'PUT', url: '/v1/regions' });
    expect(res.statusCode).toBe(405);
  });
});

describe('agent self and members', () => {
  test('self shows the configured facts and the version, with the leader in the member tags', async () => {
    server = await startTestServer({ self: { ...facts, clientEnabled: true, devMode: true } });
    const { data } = await server.client.agent.self();
    expect(data.config).toMatchObject({
      Region: 'global',
      Datacenter: 'eu-west',
      NodeName: 'berth-1',
      BindAddr: '10.1.2.3',
      DevMode: true,
      Ports: { HTTP: 4646, RPC: 4647, Serf: 4648 },
      Server: { Enabled: true },
      Client: { Enabled: true },
      ACL: { Enabled: false },
    });
    expect(data.config.Version.Version).toBe(BERTH_VERSION.replace(/[-+].*$/, ''));
    expect(data.member).toMatchObject({
      Name: 'berth-1.global',
      Addr: '10.1.2.3',
      Status: 'alive',
      Tags: { role: 'nomad', region: 'global', dc: 'eu-west', build: BERTH_VERSION, port: '4647' },
    });
    expect(data.stats.nomad).toMatchObject({ leader: 'true', leader_addr: '10.1.2.3:4647' });
    // `nomad server members` marks the leader by comparing Addr:Tags.port with the leader.
    const leader = (await server.client.status.leader()).data;
    expect(`${data.member.Addr}:${data.member.Tags.port}`).toBe(leader);
  });

  test('members lists this server under its name, region and datacenter', async () => {
    server = await startTestServer({ self: facts });
    const { data } = await server.client.agent.members();
    expect(data).toMatchObject({
      ServerName: 'berth-1',
      ServerRegion: 'global',
      ServerDC: 'eu-west',
    });
    expect(data.Members.map((m) => m.Name)).toEqual(['berth-1.global']);
    expect((await server.client.agent.servers()).data).toEqual(['10.1.2.3:4647']);
  });

  test('the version is the server package version', async () => {
    const text = await readFile(new URL('../../../package.json', import.meta.url), 'utf8');
    const pkg = JSON.parse(text) as { version: string };
    expect(BERTH_VERSION).toBe(pkg.version);
  });
});

describe('agent health', () => {
  test('a server alone: the server is healthy and no client is shown', async () => {
    server = await startTestServer();
    expect((await server.client.agent.health()).data).toEqual({
      server: { ok: true, message: 'ok' },
    });
    expect((await server.client.agent.health('server')).data).toEqual({
      server: { ok: true, message: 'ok' },
    });
  });

  test('a server alone asked about its client: 500 with the health as JSON, as Nomad', async () => {
    server = await startTestServer();
    const error = await failure(server.client.agent.health('client'));
    expect(error.status).toBe(500);
    expect(JSON.parse(error.message)).toEqual({
      client: { ok: false, message: 'client not enabled' },
    });
  });

  test('with a node agent in the process, both halves are healthy', async () => {
    server = await startTestServer({ self: { clientEnabled: true } });
    expect((await server.client.agent.health()).data).toEqual({
      client: { ok: true, message: 'ok' },
      server: { ok: true, message: 'ok' },
    });
    expect((await server.client.agent.health('client')).data).toEqual({
      client: { ok: true, message: 'ok' },
    });
  });
});

describe('ACLs', () => {
  async function withAcl(): Promise<{
    admin: BerthClient;
    anonymous: BerthClient;
    tokenFor: (rules: string) => Promise<BerthClient>;
  }> {
    server = await startTestServer({ aclEnabled: true });
    const s = server;
    const root = (await s.client.acl.bootstrap()).data;
    const admin = s.clientFor({ token: root.SecretID });
    let n = 0;
    const tokenFor = async (rules: string) => {
      const name = `p${++n}`;
      await admin.acl.policyUpsert({ Name: name, Rules: rules });
      const token = (await admin.acl.tokenCreate({ Name: name, Type: 'client', Policies: [name] }))
        .data;
      return s.clientFor({ token: token.SecretID });
    };
    return { admin, anonymous: s.client, tokenFor };
  }

  test('status, regions and health need no token, and a bad one is ignored', async () => {
    const { anonymous } = await withAcl();
    const stranger = server!.clientFor({ token: crypto.randomUUID() });
    for (const client of [anonymous, stranger]) {
      expect((await client.status.leader()).data).toBe('127.0.0.1:4647');
      expect((await client.status.peers()).data).toEqual(['127.0.0.1:4647']);
      expect((await client.regions.list()).data).toEqual(['global']);
      expect((await client.agent.health()).data.server?.ok).toBe(true);
    }
  });

  test('self and servers need agent:read; members needs node:read', async () => {
    const { admin, anonymous, tokenFor } = await withAcl();
    const agentRead = await tokenFor('agent { policy = "read" }');
    const nodeRead = await tokenFor('node { policy = "read" }');
    for (const client of [admin, agentRead]) {
      expect((await client.agent.self()).data.config.ACL.Enabled).toBe(true);
      expect((await client.agent.servers()).data).toEqual(['127.0.0.1:4647']);
    }
    for (const client of [anonymous, nodeRead]) {
      for (const call of [client.agent.self(), client.agent.servers()]) {
        const error = await failure(call);
        expect([error.status, error.message]).toEqual([403, 'Permission denied']);
      }
    }
    for (const client of [admin, nodeRead]) {
      expect((await client.agent.members()).data.Members.length).toBe(1);
    }
    for (const client of [anonymous, agentRead]) {
      const error = await failure(client.agent.members());
      expect([error.status, error.message]).toEqual([403, 'Permission denied']);
    }
  });

  test('no secret in agent self: the config holds no token', async () => {
    const { admin } = await withAcl();
    const root = (await admin.acl.tokenSelf()).data;
    const raw = await server!.inject({
      method: 'GET',
      url: '/v1/agent/self',
      headers: { 'X-Nomad-Token': root.SecretID },
    });
    expect(raw.statusCode).toBe(200);
    expect(raw.body).not.toContain(root.SecretID);
  });
});

describe('a real server', () => {
  test('reports its bind address, the port it really listens on and its datacenter', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'berth-agent-'));
    const running = await startServer({ dataDir, httpPort: 0, datacenter: 'dc9', nodeName: 'n1' });
    try {
      const client = createClient({ address: running.address });
      const port = Number(new URL(running.address).port);
      const { data } = await client.agent.self();
      expect(data.config).toMatchObject({
        Datacenter: 'dc9',
        NodeName: 'n1',
        BindAddr: '127.0.0.1',
        Ports: { HTTP: port },
        Client: { Enabled: false },
      });
      expect((await client.status.leader()).data).toBe('127.0.0.1:4647');
      expect((await client.agent.health()).data).toEqual({ server: { ok: true, message: 'ok' } });
    } finally {
      await running.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
