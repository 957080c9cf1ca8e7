// The cluster and agent routes of the agent's app against a real berth server (loopback port,
// SQLite in a temporary directory), ACLs off: forwarded answers equal the server's, local ones
// follow Nomad's client, and every answer matches the contract's schema.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AgentHealthResponseSchema,
  AgentSelfSchema,
  ErrorText,
  ServerMembersSchema,
} from '@berth/contract';
import { startServer, type RunningServer } from '@berth/server';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpAclServers } from './acl-servers.js';
import { buildAgentApp } from './app.js';
import { httpClusterServers } from './cluster-servers.js';
import type { NodeAgentFacts } from './node-self.js';
import { TokenAuthorizer } from './token-authorizer.js';

const SECRET = randomUUID();

/** An address where nothing listens (a port just freed). */
async function deadAddress(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return `http://127.0.0.1:${port}`;
}

function factsFor(servers: string[]): NodeAgentFacts {
  return {
    region: 'global',
    datacenter: 'dc1',
    nodeName: 'n1',
    nodeID: randomUUID(),
    nodeClass: '',
    nodePool: 'default',
    bindAddr: '127.0.0.1',
    httpPort: 4647,
    version: '0.1.0',
    servers,
    numAllocations: 0,
    lastHeartbeatMs: undefined,
    heartbeatTtlMs: 0,
    startedMs: Date.now(),
    aclEnabled: false,
    now: Date.now(),
  };
}

/** The agent's app for `servers`, with no token resolver (only the node's secret is known). */
function agentApp(servers: string[]): Promise<FastifyInstance> {
  return buildAgentApp({
    secretID: SECRET,
    allocation: () => undefined,
    agentApi: {
      facts: () => factsFor(servers),
      cluster: servers.length > 0 ? httpClusterServers(servers) : undefined,
    },
  });
}

let root: string;
let server: RunningServer;
let dead: string;
let app: FastifyInstance;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'berth-agent-routes-'));
  server = await startServer({ httpPort: 0, dataDir: join(root, 'server') });
  dead = await deadAddress();
  // The first server cannot be reached: every forwarded call fails over to the second.
  app = await agentApp([dead, server.address]);
});

afterAll(async () => {
  await app?.close();
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

async function fromServer(path: string): Promise<[number, string]> {
  const res = await fetch(server.address + path);
  return [res.status, await res.text()];
}

describe('the cluster routes, asked of a node agent', () => {
  it('answer what the server answers, failing over past a server that is down', async () => {
    for (const path of ['/v1/status/leader', '/v1/status/peers', '/v1/regions']) {
      const res = await app.inject({ method: 'GET', url: path });
      expect([res.statusCode, res.body], path).toEqual(await fromServer(path));
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    }
    const leader = await app.inject({ method: 'GET', url: '/v1/status/leader' });
    expect(JSON.parse(leader.body)).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('members: the server’s members, as the contract shapes them', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/agent/members' });
    expect([res.statusCode, res.body]).toEqual(await fromServer('/v1/agent/members'));
    expect(ServerMembersSchema.parse(JSON.parse(res.body)).Members).toHaveLength(1);
  });

  it('answer 503 with the reason when no server can be reached', async () => {
    const alone = await agentApp([dead]);
    try {
      for (const path of ['/v1/status/leader', '/v1/regions', '/v1/agent/members']) {
        const res = await alone.inject({ method: 'GET', url: path });
        expect(res.statusCode, path).toBe(503);
        expect(res.body).toMatch(/^no server reachable/);
      }
    } finally {
      await alone.close();
    }
  });

  it('check the query as the servers do (400, Nomad’s text)', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/status/leader?stale=maybe' });
    expect([res.statusCode, res.body]).toEqual([400, ErrorText.InvalidStale]);
  });
});

describe('the agent routes of a node agent', () => {
  it('self: a client and no server, to the node’s secret; anyone else 403 with no resolver', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/v1/agent/self',
      headers: { 'x-nomad-token': SECRET },
    });
    expect(res.statusCode).toBe(200);
    const self = AgentSelfSchema.parse(JSON.parse(res.body));
    expect([self.config.Client.Enabled, self.config.Server.Enabled]).toEqual([true, false]);
    expect(res.body).not.toContain(SECRET);
    for (const headers of [{}, { 'x-nomad-token': randomUUID() }]) {
      for (const url of ['/v1/agent/self', '/v1/agent/servers']) {
        const refused = await app.inject({ method: 'GET', url, headers });
        expect([refused.statusCode, refused.body]).toEqual([403, ErrorText.PermissionDenied]);
      }
    }
  });

  it('self and servers: 503 with the reason when no server can check a user’s token', async () => {
    const unchecked = await buildAgentApp({
      secretID: SECRET,
      allocation: () => undefined,
      authorizer: new TokenAuthorizer({ servers: httpAclServers([dead]) }),
      agentApi: { facts: () => factsFor([dead]), cluster: httpClusterServers([dead]) },
    });
    try {
      for (const url of ['/v1/agent/self', '/v1/agent/servers']) {
        const res = await unchecked.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(503);
        expect(res.body).toMatch(/^ACL token could not be checked: no server could be reached/);
        // The node's own secret needs no server.
        const node = await unchecked.inject({
          method: 'GET',
          url,
          headers: { 'x-nomad-token': SECRET },
        });
        expect(node.statusCode, url).toBe(200);
      }
    } finally {
      await unchecked.close();
    }
  });

  it('servers: every server it knows, host:port, sorted', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/v1/agent/servers',
      headers: { authorization: `Bearer ${SECRET}` },
    });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual([dead, server.address].map((a) => new URL(a).host).sort());
  });

  it('health: the client’s, with no ACL; a server asked for is a 500 with the health', async () => {
    for (const url of ['/v1/agent/health', '/v1/agent/health?type=client']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(AgentHealthResponseSchema.parse(JSON.parse(res.body))).toEqual({
        client: { ok: true, message: 'ok' },
      });
    }
    const server = await app.inject({ method: 'GET', url: '/v1/agent/health?type=server' });
    expect(server.statusCode).toBe(500);
    expect(server.headers['content-type']).toMatch(/^text\/plain/);
    expect(JSON.parse(server.body)).toEqual({
      server: { ok: false, message: 'server not enabled' },
    });
    const both = await app.inject({
      method: 'GET',
      url: '/v1/agent/health?type=client&type=server',
    });
    expect(both.statusCode).toBe(500);
    expect(JSON.parse(both.body)).toEqual({
      client: { ok: true, message: 'ok' },
      server: { ok: false, message: 'server not enabled' },
    });
  });

  it('health: no known server is an unhealthy client', async () => {
    const lonely = await agentApp([]);
    try {
      const res = await lonely.inject({ method: 'GET', url: '/v1/agent/health?type=client' });
      expect(res.statusCode).toBe(500);
      expect(JSON.parse(res.body)).toEqual({ client: { ok: false, message: 'no known servers' } });
      const leader = await lonely.inject({ method: 'GET', url: '/v1/status/leader' });
      expect([leader.statusCode, leader.body]).toEqual([503, 'no servers known']);
    } finally {
      await lonely.close();
    }
  });

  it('refuse any other method with 405, before reading anything', async () => {
    for (const [method, url] of [
      ['POST', '/v1/agent/self'],
      ['PUT', '/v1/status/leader'],
      ['DELETE', '/v1/regions'],
      ['HEAD', '/v1/agent/health'],
    ] as const) {
      const res = await app.inject({ method, url, headers: { 'x-nomad-token': SECRET } });
      expect([res.statusCode, res.body], `${method} ${url}`).toEqual([
        405,
        method === 'HEAD' ? '' : ErrorText.InvalidMethod,
      ]);
    }
  });

  it('leave an unknown path a 404 and the allocation routes as they were', async () => {
    const missing = await app.inject({ method: 'GET', url: '/v1/agent/nope' });
    expect([missing.statusCode, missing.body]).toEqual([404, '']);
    const id = randomUUID();
    const signal = await app.inject({
      method: 'POST',
      url: `/v1/client/allocation/${id}/signal`,
      headers: { 'x-nomad-token': SECRET },
      payload: { Signal: 'SIGHUP' },
    });
    expect([signal.statusCode, signal.body]).toEqual([404, `Unknown allocation "${id}"`]);
  });
});
