// startServer's wiring on a real loopback port: an agent registers over HTTP, signals reach it,
// and once it stops heartbeating the node goes down and nothing is forwarded any more.
import type { NodeRegistration } from '@berth/contract';
import Fastify, { type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../server.js';
import { seed } from '../test-support/harness.js';
import { mockAlloc, mockJob, mockNode } from '../test-support/mock.js';
import { waitForState } from '../test-support/wait-for-state.js';

let server: RunningServer;
let agent: FastifyInstance;
let dataDir: string;
const signals: unknown[] = [];

beforeEach(async () => {
  signals.length = 0;
  agent = Fastify();
  agent.post('/v1/client/allocation/:allocID/signal', (request) => {
    signals.push(request.body);
    return {};
  });
  await agent.listen({ host: '127.0.0.1', port: 0 });
  dataDir = mkdtempSync(join(tmpdir(), 'berth-start-server-'));
  server = await startServer({ httpPort: 0, dataDir, heartbeat: { ttlMs: 300, graceMs: 0 } });
});

afterEach(async () => {
  await server.close();
  await agent.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(server.address + path, {
    method,
    headers: { 'X-Nomad-Token': token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

test('a registered agent gets signals until it stops heartbeating; then there is no path to it', async () => {
  const bound = agent.server.address();
  const node: NodeRegistration = {
    ...mockNode(),
    Status: 'initializing',
    SecretID: randomUUID(),
    HTTPAddr: `127.0.0.1:${typeof bound === 'object' && bound ? bound.port : 0}`,
  };
  const registered = await call('POST', '/v1/node/register', '', { Node: node });
  expect(registered.status).toBe(200);
  expect(JSON.parse(registered.text)).toMatchObject({ HeartbeatTTL: 300e6 });
  expect((await call('PUT', `/v1/node/${node.ID}/heartbeat`, node.SecretID, {})).status).toBe(200);

  const job = mockJob();
  const alloc = mockAlloc({ Job: job, NodeID: node.ID, ClientStatus: 'running' });
  await seed(server.store, { jobs: [job], allocs: [alloc] });
  const signal = () =>
    call('POST', `/v1/client/allocation/${alloc.ID}/signal`, '', { Signal: 'SIGUSR1' });
  expect(await signal()).toEqual({ status: 200, text: '{}' });
  expect(signals).toEqual([{ Task: '', Signal: 'SIGUSR1' }]);

  await waitForState(server.store, () => server.store.nodeByID(node.ID)?.Status === 'down');
  expect(await signal()).toEqual({ status: 404, text: 'No path to node' });
  expect(signals).toHaveLength(1);
});
