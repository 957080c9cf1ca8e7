// The drainer with the real scheduling loop: allocations leave a draining node at their group's
// migrate pace, the drain completes, a deadline stops the rest, a restart resumes a drain. The
// node agents are played by the servers' own endpoint for agent reports (the end-to-end test
// with real agents is apps/agent/test/drain-e2e.test.ts).
import type { Allocation } from '@berth/contract';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { aclDisabled } from '../../acl/acl.js';
import {
  updateAllocsFromClient,
  type ClientAllocUpdate,
} from '../../endpoints/nodes/update-allocs.js';
import { noNodeConnections } from '../../nodes/client-rpc.js';
import { seed, startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockNode } from '../../test-support/mock.js';
import { waitForState } from '../../test-support/wait-for-state.js';

let server: TestServer | undefined;
let stopAgents: (() => void) | undefined;
afterEach(async () => {
  stopAgents?.();
  await server?.close();
});

const job = (count: number, maxParallel: number, type: 'service' | 'batch' = 'service') => ({
  ID: 'web',
  Type: type,
  Datacenters: ['dc1'],
  TaskGroups: [
    {
      Name: 'web',
      Count: count,
      ...(type === 'service' ? { Migrate: { MaxParallel: maxParallel } } : {}),
      Tasks: [{ Name: 'web', Driver: 'raw_exec', Resources: { CPU: 100, MemoryMB: 64 } }],
    },
  ],
});

/** Every node's agent: runs what is wanted running, stops what is wanted stopped. */
function playAgents(s: TestServer): () => void {
  const ctx = { store: s.store, acl: aclDisabled, clientRpc: noNodeConnections };
  let busy = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const next = (a: Allocation): ClientAllocUpdate | undefined => {
    if (a.DesiredStatus === 'run' && a.ClientStatus === 'pending') {
      return { ID: a.ID, NodeID: a.NodeID, ClientStatus: 'running' };
    }
    if (a.DesiredStatus !== 'run' && ['running', 'pending'].includes(a.ClientStatus)) {
      return { ID: a.ID, NodeID: a.NodeID, ClientStatus: 'complete' };
    }
    return undefined;
  };
  const act = () => {
    if (busy || stopped) return;
    // One report at a time, one allocation each, so the drainer sees every step.
    const first = s.store
      .allocsByNamespace('*')
      .map(next)
      .find((u) => u !== undefined);
    if (first === undefined) return;
    busy = true;
    timer = setTimeout(() => {
      void updateAllocsFromClient(ctx, [first]).finally(() => {
        busy = false;
        act();
      });
    }, 5);
  };
  const off = s.store.onCommit(act);
  act();
  return () => {
    stopped = true;
    clearTimeout(timer);
    off();
  };
}

const live = (a: Allocation) => a.DesiredStatus === 'run' && a.ClientStatus === 'running';

test('allocations leave a draining node one at a time (max_parallel 1), and the drain completes', async () => {
  server = await startTestServer({ scheduling: true });
  const s = server;
  const [n1, n2] = [mockNode({ Status: 'ready' }), mockNode({ Status: 'ready' })];
  await seed(s.store, { nodes: [n1] });
  stopAgents = playAgents(s);
  await s.client.jobs.register(job(3, 1));
  const allocs = () => s.store.allocsByJob('default', 'web');
  await waitForState(s.store, () => allocs().filter(live).length === 3);
  await seed(s.store, { nodes: [n2] });

  // Never fewer than count - max_parallel running while the drain goes on.
  let lowest = 3;
  let mostMarkedInFlight = 0;
  const watch = s.store.onCommit(() => {
    lowest = Math.min(lowest, allocs().filter(live).length);
    const inFlight = allocs().filter(
      (a) => a.DesiredTransition.Migrate === true && a.ClientStatus !== 'complete',
    ).length;
    mostMarkedInFlight = Math.max(mostMarkedInFlight, inFlight);
  });
  await s.client.nodes.updateDrain(n1.ID, { drainSpec: { Deadline: 0, IgnoreSystemJobs: false } });
  await waitForState(s.store, () => s.store.nodeByID(n1.ID)?.LastDrain?.Status === 'complete');
  watch();
  // The node is empty; its last replacement may still be starting.
  await waitForState(s.store, () => allocs().filter(live).length === 3);

  expect(lowest).toBe(2);
  expect(mostMarkedInFlight).toBe(1);
  const running = allocs().filter(live);
  expect(running).toHaveLength(3);
  expect(running.every((a) => a.NodeID === n2.ID)).toBe(true);
  const node = (await s.client.nodes.info(n1.ID)).data;
  expect(node).toMatchObject({ DrainStrategy: null, SchedulingEligibility: 'ineligible' });
  expect(node.Events?.at(-1)).toMatchObject({ Message: 'Node drain complete', Subsystem: 'Drain' });
  const drainEvals = s.store
    .evalsByJob('default', 'web')
    .filter((e) => e.TriggeredBy === 'node-drain');
  expect(drainEvals).toHaveLength(3);
  expect(drainEvals.every((e) => e.NodeID === n1.ID)).toBe(true);
}, 60_000);

test('at the deadline the batch allocations still running are stopped and the drain completes', async () => {
  server = await startTestServer({ scheduling: true });
  const s = server;
  const n1 = mockNode({ Status: 'ready' });
  await seed(s.store, { nodes: [n1] });
  stopAgents = playAgents(s);
  await s.client.jobs.register(job(2, 1, 'batch'));
  const allocs = () => s.store.allocsByJob('default', 'web');
  await waitForState(s.store, () => allocs().filter(live).length === 2);

  await s.client.nodes.updateDrain(n1.ID, {
    drainSpec: { Deadline: 300e6, IgnoreSystemJobs: false },
  });
  // Before the deadline the batch allocations are left alone.
  expect(allocs().filter(live)).toHaveLength(2);
  await waitForState(s.store, () => s.store.nodeByID(n1.ID)?.LastDrain?.Status === 'complete');
  expect(allocs().every((a) => a.DesiredTransition.Migrate === true)).toBe(true);
  expect(
    allocs()
      .filter((a) => a.NodeID === n1.ID)
      .every((a) => a.ClientStatus === 'complete'),
  ).toBe(true);
}, 60_000);

test('a restarted server resumes a drain from the stored state', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'berth-drain-'));
  try {
    // A drain stored while no drainer runs (the server was down).
    const first = await startTestServer({ dataDir });
    const n1 = mockNode({ Status: 'ready' });
    await seed(first.store, { nodes: [n1] });
    await first.client.nodes.updateDrain(n1.ID, {
      drainSpec: { Deadline: 0, IgnoreSystemJobs: false },
    });
    await first.close();

    server = await startTestServer({ dataDir, scheduling: true });
    const s = server;
    await waitForState(s.store, () => s.store.nodeByID(n1.ID)?.LastDrain?.Status === 'complete');
    expect(s.store.nodeByID(n1.ID)).toMatchObject({
      DrainStrategy: null,
      SchedulingEligibility: 'ineligible',
    });
  } finally {
    await server?.close();
    server = undefined;
    await rm(dataDir, { recursive: true, force: true });
  }
}, 60_000);
