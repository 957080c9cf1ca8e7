// Node drain end to end: a real server and two real node agents on loopback, raw_exec tasks as
// real processes. Draining node 1 moves its allocations to node 2 no faster than the group's
// migrate.max_parallel and completes; a drain stuck for room is cancelled; eligibility toggles;
// a deadline stops the batch allocation a drain left running. Plain fetch (no @berth/client).
import type { Allocation, Job, Node } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAgent } from '../src/agent.js';
import { recorderJob, startCluster, waitFor, type Cluster } from './support/cluster.js';

let cluster: Cluster;
let n1: RunningAgent;
let n2: RunningAgent;

beforeAll(async () => {
  cluster = await startCluster({});
  n1 = await cluster.startAgent('n1');
}, 60_000);

afterAll(async () => {
  await cluster?.close();
}, 60_000);

const live = (a: Allocation) => a.DesiredStatus === 'run' && a.ClientStatus === 'running';
const clientDone = (a: Allocation) => ['complete', 'failed', 'lost'].includes(a.ClientStatus);

function migratingJob(id: string, count: number, maxParallel: number): Partial<Job> {
  const job = recorderJob(id, count) as { TaskGroups: Record<string, unknown>[] };
  job.TaskGroups[0]!.Migrate = { MaxParallel: maxParallel };
  return job as Partial<Job>;
}

const node = (id: string) => cluster.api<Node>('GET', `/v1/node/${id}`);
const drain = (id: string, body: unknown) =>
  cluster.api<{ Index: number; NodeModifyIndex: number }>('POST', `/v1/node/${id}/drain`, body);

describe('node drain with two real agents', () => {
  it('moves allocations to the other node at most max_parallel at a time, then completes', async () => {
    await cluster.api('PUT', '/v1/jobs', { Job: migratingJob('mover', 3, 1) });
    await waitFor(
      () => cluster.allocsOf('mover'),
      (allocs) => allocs.filter(live).length === 3,
      60_000,
    );
    n2 = await cluster.startAgent('n2');

    // Watch the allocation list while the drain runs.
    let mostInFlight = 0;
    let fewestLive = 3;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const allocs = await cluster.allocsOf('mover');
        // Migrating: marked, and its replacement not running yet (the old one may still be
        // shutting down once its replacement runs, as in Nomad).
        const byID = new Map(allocs.map((a) => [a.ID, a]));
        const inFlight = allocs.filter((a) => {
          if (a.DesiredTransition.Migrate !== true || clientDone(a)) return false;
          const next = byID.get(a.NextAllocation);
          return next === undefined || !live(next);
        }).length;
        mostInFlight = Math.max(mostInFlight, inFlight);
        fewestLive = Math.min(fewestLive, allocs.filter(live).length);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    const answer = await drain(n1.nodeID, {
      DrainSpec: { Deadline: 0, IgnoreSystemJobs: false },
      Meta: { message: 'e2e' },
    });
    expect(answer.NodeModifyIndex).toBeGreaterThan(0);
    const drained = await waitFor(
      () => node(n1.nodeID),
      (n) => n.LastDrain?.Status === 'complete',
      120_000,
    );
    const after = await waitFor(
      () => cluster.allocsOf('mover'),
      (allocs) => allocs.filter(live).length === 3,
      60_000,
    );
    watching = false;
    await watcher;

    expect(mostInFlight).toBeGreaterThan(0);
    expect(mostInFlight).toBeLessThanOrEqual(1);
    expect(fewestLive).toBeGreaterThanOrEqual(2);
    expect(after.filter(live).every((a) => a.NodeID === n2.nodeID)).toBe(true);
    expect(after.filter((a) => a.NodeID === n1.nodeID).every(clientDone)).toBe(true);
    expect(drained).toMatchObject({
      DrainStrategy: null,
      SchedulingEligibility: 'ineligible',
      LastDrain: { Status: 'complete', Meta: { message: 'e2e' } },
    });
    const messages = drained.Events?.map((e) => e.Message) ?? [];
    expect(messages).toContain('Node drain strategy set');
    expect(messages.at(-1)).toBe('Node drain complete');
  }, 240_000);

  it('cancels a drain that waits for room; the node keeps its allocations and becomes eligible', async () => {
    // Node 1 is ineligible: the first allocation marked on node 2 has nowhere to go, so the
    // group's pace holds the others.
    await drain(n2.nodeID, { DrainSpec: { Deadline: 0, IgnoreSystemJobs: false } });
    await waitFor(
      () => cluster.allocsOf('mover'),
      (allocs) =>
        allocs.some((a) => a.NodeID === n2.nodeID && a.DesiredTransition.Migrate === true),
      60_000,
    );
    const draining = await node(n2.nodeID);
    expect(draining.DrainStrategy).not.toBeNull();
    expect(draining.LastDrain?.Status).toBe('draining');

    await drain(n2.nodeID, { DrainSpec: null, MarkEligible: true });
    const cancelled = await node(n2.nodeID);
    expect(cancelled).toMatchObject({
      DrainStrategy: null,
      SchedulingEligibility: 'eligible',
      LastDrain: { Status: 'canceled' },
    });
    expect(cancelled.Events?.at(-1)?.Message).toBe('Node drain disabled');
    // Eligible again, node 2 takes back the allocation that had nowhere to go.
    const allocs = await waitFor(
      () => cluster.allocsOf('mover'),
      (list) => list.filter(live).length === 3,
      60_000,
    );
    expect(allocs.filter(live).every((a) => a.NodeID === n2.nodeID)).toBe(true);
  }, 180_000);

  it('toggles eligibility', async () => {
    const on = await cluster.api<{ EvalIDs: string[] | null; Index: number }>(
      'PUT',
      `/v1/node/${n1.nodeID}/eligibility`,
      { Eligibility: 'eligible' },
    );
    expect(on.Index).toBeGreaterThan(0);
    let n = await node(n1.nodeID);
    expect(n.SchedulingEligibility).toBe('eligible');
    expect(n.Events?.at(-1)?.Message).toBe('Node marked as eligible for scheduling');

    await cluster.api('POST', `/v1/node/${n1.nodeID}/eligibility`, { Eligibility: 'ineligible' });
    n = await node(n1.nodeID);
    expect(n.SchedulingEligibility).toBe('ineligible');
    expect(n.Events?.at(-1)?.Message).toBe('Node marked as ineligible for scheduling');
    await cluster.api('POST', `/v1/node/${n1.nodeID}/eligibility`, { Eligibility: 'eligible' });
  }, 60_000);

  it('leaves a batch allocation running until the deadline, then stops it', async () => {
    // Node 2 ineligible, so the batch allocation lands on node 1.
    await cluster.api('POST', `/v1/node/${n2.nodeID}/eligibility`, { Eligibility: 'ineligible' });
    const batch = { ...recorderJob('batcher', 1), Type: 'batch' } as Partial<Job>;
    await cluster.api('PUT', '/v1/jobs', { Job: batch });
    const [placed] = await waitFor(
      () => cluster.allocsOf('batcher'),
      (allocs) => allocs.filter(live).length === 1,
      60_000,
    );
    expect(placed!.NodeID).toBe(n1.nodeID);

    await drain(n1.nodeID, { DrainSpec: { Deadline: 4e9, IgnoreSystemJobs: false } });
    const draining = await node(n1.nodeID);
    expect(Date.parse(draining.DrainStrategy!.ForceDeadline!)).toBeGreaterThan(Date.now());
    // Before the deadline the batch allocation is left to run.
    const early = await cluster.api<Allocation>('GET', `/v1/allocation/${placed!.ID}`);
    expect(early.DesiredTransition.Migrate ?? false).toBe(false);
    expect(live(early)).toBe(true);

    const done = await waitFor(
      () => node(n1.nodeID),
      (n) => n.LastDrain?.Status === 'complete',
      120_000,
    );
    const stopped = await cluster.api<Allocation>('GET', `/v1/allocation/${placed!.ID}`);
    expect(stopped.DesiredTransition.Migrate).toBe(true);
    expect(stopped.DesiredStatus).toBe('stop');
    expect(clientDone(stopped)).toBe(true);
    expect(done).toMatchObject({ DrainStrategy: null, SchedulingEligibility: 'ineligible' });
  }, 180_000);
});
