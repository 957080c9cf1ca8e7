// Nomad's cluster and agent routes asked of a node agent (`NOMAD_ADDR` pointed at a client, as
// `nomad node status -self` or a client's health check does): a real berth server and a real
// agent on loopback ports, with ACLs on and off. Answers are checked against the contract.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AgentSelfSchema,
  ErrorText,
  parseGoDuration,
  regionsContract,
  statusContract,
} from '@berth/contract';
import { startServer, type RunningServer } from '@berth/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../src/agent.js';
import { MockDriver } from '../src/drivers/index.js';

interface Setup {
  root: string;
  server: RunningServer;
  agent: RunningAgent;
}

/** A server and an agent; `token(address)` makes the token the agent registers with. */
async function startSetup(
  acl: boolean,
  token?: (address: string) => Promise<string>,
): Promise<Setup> {
  const root = mkdtempSync(join(tmpdir(), 'berth-agent-api-'));
  const server = await startServer({ httpPort: 0, dataDir: join(root, 'server'), acl });
  try {
    const agent = await startAgent({
      servers: [server.address],
      dataDir: join(root, 'agent'),
      nodeName: 'worker-7',
      datacenter: 'dc3',
      drivers: [new MockDriver()],
      token: token === undefined ? undefined : await token(server.address),
      // Every call asks the servers, so a token made mid-test counts at once.
      aclTokenTtlMs: 0,
    });
    return { root, server, agent };
  } catch (error) {
    await server.close();
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

async function closeSetup(s: Setup | undefined): Promise<void> {
  if (s === undefined) return;
  await s.agent.close();
  await s.server.close();
  rmSync(s.root, { recursive: true, force: true });
}

/** GET `path` of `base` with `token` ('' for none): the status and the body's text. */
async function get(base: string, path: string, token = ''): Promise<[number, string]> {
  const res = await fetch(base + path, {
    headers: token === '' ? {} : { 'X-Nomad-Token': token },
  });
  return [res.status, await res.text()];
}

async function bootstrap(address: string): Promise<string> {
  const res = await fetch(`${address}/v1/acl/bootstrap`, { method: 'POST' });
  if (!res.ok) throw new Error(`bootstrap: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { SecretID: string }).SecretID;
}

/** A client token whose one policy has `rules`, made with `management`. */
async function tokenWith(address: string, management: string, name: string, rules: string) {
  const headers = { 'X-Nomad-Token': management };
  const policy = await fetch(`${address}/v1/acl/policy/${name}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ Name: name, Rules: rules }),
  });
  if (!policy.ok) throw new Error(`policy ${name}: ${policy.status} ${await policy.text()}`);
  const res = await fetch(`${address}/v1/acl/token`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ Name: name, Type: 'client', Policies: [name] }),
  });
  if (!res.ok) throw new Error(`token ${name}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { SecretID: string }).SecretID;
}

describe('a node agent’s cluster and agent routes, ACLs off', () => {
  let s: Setup | undefined;
  let agentBase: string;

  beforeAll(async () => {
    s = await startSetup(false);
    agentBase = `http://${s.agent.httpAddr}`;
  }, 30_000);
  afterAll(() => closeSetup(s));

  it('self: a client, not a server, with its name, datacenter and node ID, and no secret', async () => {
    const [status, text] = await get(agentBase, '/v1/agent/self');
    expect(status).toBe(200);
    const self = AgentSelfSchema.parse(JSON.parse(text));
    expect(self.config).toMatchObject({
      Region: 'global',
      Datacenter: 'dc3',
      NodeName: 'worker-7',
      Server: { Enabled: false },
      Client: { Enabled: true },
      ACL: { Enabled: false },
      Ports: { HTTP: Number(s!.agent.httpAddr.split(':').pop()) },
    });
    // What `nomad node status -self` reads, and what `nomad agent check` compares.
    expect(self.stats.client).toMatchObject({
      node_id: s!.agent.nodeID,
      known_servers: new URL(s!.server.address).host,
      heartbeat_ttl: '10s',
    });
    // Heartbeats every TTL/2: the last one is within the TTL, as `nomad agent check` wants it.
    expect(parseGoDuration(self.stats.client!.last_heartbeat!)).toBeLessThan(10e9);
    expect(text).not.toContain(s!.agent.secretID);
  });

  it('servers: the server it uses', async () => {
    const [status, text] = await get(agentBase, '/v1/agent/servers');
    expect(status).toBe(200);
    expect(JSON.parse(text)).toEqual([new URL(s!.server.address).host]);
  });

  it('health: the client is healthy; a server is not run here (500, as Nomad)', async () => {
    const [status, text] = await get(agentBase, '/v1/agent/health?type=client');
    expect([status, JSON.parse(text)]).toEqual([200, { client: { ok: true, message: 'ok' } }]);
    const [serverStatus, serverText] = await get(agentBase, '/v1/agent/health?type=server');
    expect([serverStatus, JSON.parse(serverText)]).toEqual([
      500,
      { server: { ok: false, message: 'server not enabled' } },
    ]);
  });

  it('status leader, peers and regions: what the server answers', async () => {
    for (const path of ['/v1/status/leader', '/v1/status/peers', '/v1/regions']) {
      const fromAgent = await get(agentBase, path);
      expect(fromAgent, path).toEqual(await get(s!.server.address, path));
      expect(fromAgent[0]).toBe(200);
    }
    const [, leader] = await get(agentBase, '/v1/status/leader');
    expect(statusContract.leader.responses[200].parse(JSON.parse(leader))).not.toBe('');
    const [, regions] = await get(agentBase, '/v1/regions');
    expect(regionsContract.list.responses[200].parse(JSON.parse(regions))).toEqual(['global']);
  });
});

describe('a node agent’s cluster and agent routes, ACLs on', () => {
  let s: Setup | undefined;
  let agentBase: string;
  let management = '';
  let agentReader: string;
  let nodeReader: string;

  beforeAll(async () => {
    // The agent registers with the management token, made once the server is up.
    s = await startSetup(true, async (address) => {
      management = await bootstrap(address);
      return management;
    });
    agentBase = `http://${s.agent.httpAddr}`;
  }, 30_000);
  afterAll(() => closeSetup(s));

  beforeAll(async () => {
    agentReader = await tokenWith(
      s!.server.address,
      management,
      'agent-read',
      'agent { policy = "read" }',
    );
    nodeReader = await tokenWith(
      s!.server.address,
      management,
      'node-read',
      'node { policy = "read" }',
    );
  });

  it('self and servers: anonymous and unknown callers 403, agent:read 200', async () => {
    for (const path of ['/v1/agent/self', '/v1/agent/servers']) {
      expect(await get(agentBase, path), path).toEqual([403, ErrorText.PermissionDenied]);
      expect(await get(agentBase, path, nodeReader), path).toEqual([
        403,
        ErrorText.PermissionDenied,
      ]);
      for (const token of [agentReader, management]) {
        const [status] = await get(agentBase, path, token);
        expect(status, path).toBe(200);
      }
    }
    const [, text] = await get(agentBase, '/v1/agent/self', agentReader);
    const self = AgentSelfSchema.parse(JSON.parse(text));
    expect(self.config.ACL.Enabled).toBe(true);
    for (const secret of [agentReader, management, s!.agent.secretID]) {
      expect(text).not.toContain(secret);
    }
  });

  it('members: node:read, as the servers check it with the caller’s token', async () => {
    expect(await get(agentBase, '/v1/agent/members')).toEqual([403, ErrorText.PermissionDenied]);
    expect(await get(agentBase, '/v1/agent/members', agentReader)).toEqual([
      403,
      ErrorText.PermissionDenied,
    ]);
    const fromAgent = await get(agentBase, '/v1/agent/members', nodeReader);
    expect(fromAgent[0]).toBe(200);
    expect(fromAgent).toEqual(await get(s!.server.address, '/v1/agent/members', nodeReader));
  });

  it('health, status and regions need no token', async () => {
    expect((await get(agentBase, '/v1/agent/health'))[0]).toBe(200);
    for (const path of ['/v1/status/leader', '/v1/status/peers', '/v1/regions']) {
      const fromAgent = await get(agentBase, path);
      expect(fromAgent[0], path).toBe(200);
      expect(fromAgent, path).toEqual(await get(s!.server.address, path));
    }
  });
});
