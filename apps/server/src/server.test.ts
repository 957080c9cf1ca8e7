import { createClient } from '@berth/client';
import { JobSchema, NodeSchema, type Job, type Node } from '@berth/contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startServer, type RunningServer } from './server.js';
import { openStateStore, type StateStore } from './state/index.js';
import { seed } from './test-support/harness.js';
import { mockEval, mockJob, mockNode } from './test-support/mock.js';
import { waitForState } from './test-support/wait-for-state.js';

let dataDir: string;
let server: RunningServer | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'berth-server-'));
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

test('a started server schedules pending evaluations, including those stored before it started', async () => {
  server = await startServer({ dataDir, httpPort: 0 });
  const job = mockJob(); // 10 allocations; each node holds 8
  const ev = mockEval({ JobID: job.ID, TriggeredBy: 'job-register' });
  await seed(server.store, { nodes: [mockNode(), mockNode()], jobs: [job] });
  await server.close();

  // Written while no server runs: the next one picks it up on start.
  const offline = openStateStore({ dataDir });
  await seed(offline, { evals: [ev] });
  offline.close();

  server = await startServer({ dataDir, httpPort: 0 });
  const running = server;
  await waitForState(running.store, () => running.store.evalByID(ev.ID)?.Status === 'complete');
  const client = createClient({ address: running.address });
  const { data } = await client.evaluations.allocations(ev.ID);
  expect(data).toHaveLength(10);
  expect(data.every((a) => a.DesiredStatus === 'run')).toBe(true);
});

/** A job of `count` small instances (no ports), so that many fit on one node. */
function smallJob(count: number): Job {
  const job = mockJob();
  return JobSchema.parse({
    ...job,
    TaskGroups: (job.TaskGroups ?? []).map((g) => ({
      ...g,
      Count: count,
      Tasks: (g.Tasks ?? []).map((t) => ({ ...t, Resources: { CPU: 10, MemoryMB: 10 } })),
    })),
  });
}

/** A ready node with room for thousands of {@link smallJob} instances. */
function bigNode(): Node {
  const node = mockNode();
  return NodeSchema.parse({
    ...node,
    NodeResources: {
      ...node.NodeResources,
      Cpu: { CpuShares: 100_000 },
      Memory: { MemoryMB: 100_000 },
    },
  });
}

const pendingEvals = (store: StateStore) =>
  store.evalsByNamespace('*').filter((e) => e.Status === 'pending');

test('a server restarted on a large backlog answers reads before the backlog is worked', async () => {
  // Written while no server runs, as after a crash: 200 jobs of 20 placements each, one pending
  // registration evaluation per job.
  const jobs = Array.from({ length: 200 }, () => smallJob(20));
  const offline = openStateStore({ dataDir });
  await seed(offline, {
    nodes: Array.from({ length: 10 }, bigNode),
    jobs,
    evals: jobs.map((j) => mockEval({ JobID: j.ID, TriggeredBy: 'job-register' })),
  });
  offline.close();

  server = await startServer({ dataDir, httpPort: 0 });
  const running = server;
  const res = await fetch(`${running.address}/v1/jobs`);
  expect(res.status).toBe(200);
  expect(await res.json()).toHaveLength(200);
  // Answered while most of the backlog still waits for the scheduler.
  expect(pendingEvals(running.store).length).toBeGreaterThan(100);

  // And the backlog is then worked through: every job fully placed.
  await waitForState(running.store, () => pendingEvals(running.store).length === 0);
  expect(running.store.evalsByNamespace('*').every((e) => e.Status === 'complete')).toBe(true);
  expect(running.store.allocsByNamespace('*')).toHaveLength(200 * 20);
});
