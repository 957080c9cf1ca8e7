// The statistics routes on a server: the contract's answer shapes carry exactly Nomad's fields
// (the agent's answers are checked against them before they are sent, and again here before they
// are passed on), and what the server answers before and instead of a node's answer.
import {
  AllocResourceUsageSchema,
  CpuStatsSchema,
  HostCPUStatsSchema,
  HostDiskStatsSchema,
  HostMemoryStatsSchema,
  HostStatsSchema,
  MemoryStatsSchema,
  ResourceUsageSchema,
  TaskResourceUsageSchema,
} from '@berth/contract';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { agentClient } from '../../nodes/testing/agent-client.js';
import { startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockNode } from '../../test-support/mock.js';
import { NOMAD_FIELDS } from '../../test-support/nomad-fields.js';
import { waitForState } from '../../test-support/wait-for-state.js';

test("the statistics schemas carry exactly the fields of Nomad's structs", () => {
  const schemas = {
    AllocResourceUsage: AllocResourceUsageSchema,
    TaskResourceUsage: TaskResourceUsageSchema,
    ResourceUsage: ResourceUsageSchema,
    MemoryStats: MemoryStatsSchema,
    CpuStats: CpuStatsSchema,
    HostStats: HostStatsSchema,
    HostMemoryStats: HostMemoryStatsSchema,
    HostCPUStats: HostCPUStatsSchema,
    HostDiskStats: HostDiskStatsSchema,
  } as const;
  for (const [struct, schema] of Object.entries(schemas)) {
    const fields = NOMAD_FIELDS[struct as keyof typeof schemas].fields;
    expect(Object.keys(schema.shape).sort(), struct).toEqual([...fields].sort());
  }
});

let server: TestServer;
let listener: http.Server | undefined;
beforeEach(async () => {
  server = await startTestServer({ scheduling: true, heartbeat: { ttlMs: 60_000 } });
});
afterEach(async () => {
  await server.close();
  listener?.closeAllConnections();
  await new Promise((resolve) => (listener ? listener.close(resolve) : resolve(undefined)));
  listener = undefined;
});

/** A loopback "agent" answering every request with `body` (200, JSON); its `host:port`. */
async function answering(body: unknown): Promise<string> {
  listener = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => listener!.listen(0, '127.0.0.1', resolve));
  const bound = listener.address();
  if (bound === null || typeof bound !== 'object') throw new Error('no port');
  return `127.0.0.1:${bound.port}`;
}

/** A port nothing listens on. */
async function closedPort(): Promise<string> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const bound = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (bound === null || typeof bound !== 'object') throw new Error('no port');
  return `127.0.0.1:${bound.port}`;
}

/** A ready node at `httpAddr` running one allocation; their IDs. */
async function nodeWithAlloc(httpAddr: string): Promise<{ nodeID: string; allocID: string }> {
  const node = { ...mockNode({ HTTPAddr: httpAddr }), SecretID: randomUUID() };
  const agent = agentClient(server.app, node.SecretID);
  expect((await agent.register({ body: node })).status).toBe(200);
  expect((await agent.heartbeat({ params: { nodeID: node.ID }, body: {} })).status).toBe(200);
  await server.client.jobs.register({
    ID: 'web',
    Datacenters: [node.Datacenter],
    TaskGroups: [
      {
        Name: 'web',
        Tasks: [{ Name: 'web', Driver: 'raw_exec', Config: { command: 'sleep' } }],
      },
    ],
  });
  await waitForState(server.store, () => server.store.allocsByJob('default', 'web').length > 0);
  return { nodeID: node.ID, allocID: server.store.allocsByJob('default', 'web')[0]!.ID };
}

async function get(url: string) {
  const res = await server.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.body };
}

test("a node whose agent cannot be reached is Nomad's `No path to node`", async () => {
  const { nodeID, allocID } = await nodeWithAlloc(await closedPort());
  const noPath = { status: 404, body: 'No path to node' };
  expect(await get(`/v1/client/allocation/${allocID}/stats`)).toEqual(noPath);
  expect(await get(`/v1/client/stats?node_id=${nodeID}`)).toEqual(noPath);
});

test("an answer that is not the contract's is a 500 naming the node, never passed on", async () => {
  const { nodeID, allocID } = await nodeWithAlloc(await answering({ Tasks: 'nope' }));
  const alloc = await get(`/v1/client/allocation/${allocID}/stats`);
  expect(alloc.status).toBe(500);
  expect(alloc.body).toContain(
    `node ${nodeID} answered the stats of allocation ${allocID}: an answer that is not the contract's`,
  );
  expect((await get(`/v1/client/stats?node_id=${nodeID}`)).status).toBe(500);
});

test("no node_id, an unknown node, an unknown allocation: 400 and 404 with Nomad's texts", async () => {
  expect(await get('/v1/client/stats')).toEqual({
    status: 400,
    body: 'No local Node and node_id not provided',
  });
  const ghost = randomUUID();
  expect(await get(`/v1/client/stats?node_id=${ghost}`)).toEqual({
    status: 404,
    body: `Unknown node ${ghost}`,
  });
  expect(await get(`/v1/client/allocation/${ghost}/stats`)).toEqual({
    status: 404,
    body: `Unknown allocation "${ghost}"`,
  });
  expect((await server.inject({ method: 'POST', url: '/v1/client/stats' })).statusCode).toBe(405);
});
