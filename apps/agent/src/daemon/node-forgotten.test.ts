// A whole agent whose node's record the servers lose, with ACLs on: its secret then names no one,
// so its allocations long-poll is refused (403, where ACLs off would answer 404). The agent must
// register again with the operator's token, without waiting for its next heartbeat, and keep
// running the allocations it has, the same runners, with nothing replaced.
import { join } from 'node:path';
import type { Allocation, Job } from '@berth/contract';
import { afterEach, expect, test } from 'vitest';
import { startAgent, type RunningAgent } from '../agent.js';
import { MockDriver } from '../drivers/index.js';
import {
  recordingApi,
  startRealServer,
  waitFor,
  type RealServer,
} from './test-support/real-server.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A one-task mock_driver job that runs for an hour. */
function mockJob(id: string): Partial<Job> {
  return {
    ID: id,
    Name: id,
    Type: 'service',
    Datacenters: ['dc1'],
    TaskGroups: [
      {
        Name: 'app',
        Count: 1,
        Tasks: [
          {
            Name: 'web',
            Driver: 'mock_driver',
            Config: { run_for: '1h' },
            Resources: { CPU: 10, MemoryMB: 10 },
          },
        ],
      },
    ],
  } as unknown as Partial<Job>;
}

async function api<T>(s: RealServer, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(s.server.address + path, {
    method,
    headers: { 'X-Nomad-Token': s.management, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Registers `id` and waits until its one allocation runs on the agent. */
async function runJob(s: RealServer, agent: RunningAgent, id: string): Promise<Allocation> {
  await api(s, 'PUT', '/v1/jobs', { Job: mockJob(id) });
  const [alloc] = await waitFor(
    () => api<Allocation[]>(s, 'GET', `/v1/job/${id}/allocations`),
    (allocs) => allocs.length === 1 && allocs[0]!.ClientStatus === 'running',
  );
  expect(alloc!.NodeID).toBe(agent.nodeID);
  return alloc!;
}

test('registers again with the operator token and keeps running its allocations', async () => {
  // Heartbeats 30 s apart: only the refused long-poll can bring the registration in time.
  const s = await startRealServer({ acl: true, heartbeat: { ttlMs: 60_000 } });
  cleanup.push(() => s.close());
  const { api: serverApi, calls } = recordingApi(s.server.address);
  const logged: string[] = [];
  const agent = await startAgent({
    servers: [s.server.address],
    api: serverApi,
    dataDir: join(s.root, 'agent'),
    nodeName: 'n1',
    drivers: [new MockDriver()],
    token: s.management,
    pollWaitMs: 500,
    log: (message, error) => logged.push(`${message}: ${String(error)}`),
  });
  cleanup.push(() => agent.close());

  const first = await runJob(s, agent, 'before');
  const runner = agent.daemon.runner(first.ID);
  expect(runner).toBeDefined();

  await s.forgetNode(agent.nodeID);
  const forgotten = performance.now();
  await waitFor(
    () => s.server.store.nodeByID(agent.nodeID)?.Status,
    (status) => status === 'ready',
  );

  const after = calls.filter((c) => c.at > forgotten);
  // Refused for what it is, then introduced again by the operator's token.
  expect(after.find((c) => c.status !== 200)).toMatchObject({ call: 'allocations', status: 403 });
  expect(after.filter((c) => c.call === 'register')).toEqual([
    expect.objectContaining({ token: s.management, status: 200 }),
  ]);
  expect(logged.some((line) => line.includes('Permission denied'))).toBe(true);

  // The same allocation runs on, in the same runner; the servers replaced nothing.
  expect(agent.daemon.runner(first.ID)).toBe(runner);
  expect(runner!.clientState().ClientStatus).toBe('running');
  const allocs = await api<Allocation[]>(s, 'GET', '/v1/job/before/allocations');
  expect(allocs.map((a) => [a.ID, a.ClientStatus])).toEqual([[first.ID, 'running']]);

  // Its long-poll works again: a new job is placed on it and runs.
  const second = await runJob(s, agent, 'after');
  expect(agent.daemon.allocIDs().sort()).toEqual([first.ID, second.ID].sort());
});
