// Running out of room: partial placement, the blocked evaluation, and its retry once a node joins.
import { afterEach, describe, expect, it } from 'vitest';

import { mockAlloc, mockJob, mockNode } from '../../test-support/mock.js';
import { scenario, type Scenario } from './test-support/scenario.js';

let s: Scenario | undefined;
afterEach(() => s?.close());

// mockNode has 4000 MHz and 8192 MB; mockJob's task asks 500 MHz and 256 MB: 8 fit by CPU.
describe('capacity exhaustion', () => {
  it('places what fits and blocks the rest', async () => {
    const job = mockJob({ ID: 'web' });
    job.TaskGroups![0]!.Count = 10;
    const node = mockNode();
    s = await scenario({ jobs: [job], nodes: [node] });
    const done = await s.evaluate(job);

    expect(s.running(job)).toHaveLength(8);
    expect(done.Status).toBe('complete');
    expect(done.QueuedAllocations).toEqual({ web: 2 });
    expect(done.FailedTGAllocs?.web).toMatchObject({
      NodesEvaluated: 1,
      NodesExhausted: 1,
      DimensionExhausted: { cpu: 1 },
      CoalescedFailures: 1,
      NodesAvailable: { dc1: 1 },
    });
    expect(done.FailedTGAllocs?.web?.ResourcesExhausted?.web).toMatchObject({ CPU: 1000 });
    const blocked = s.planner.created[0];
    expect(blocked).toMatchObject({ Status: 'blocked', TriggeredBy: 'queued-allocs' });
    expect(Object.values(blocked?.ClassEligibility ?? {})).toEqual([true]);
  });

  it('reports memory when memory is what runs out', async () => {
    const job = mockJob({ ID: 'web' });
    job.TaskGroups![0]!.Count = 2;
    job.TaskGroups![0]!.Tasks![0]!.Resources!.MemoryMB = 5000;
    s = await scenario({ jobs: [job], nodes: [mockNode()] });
    const done = await s.evaluate(job);
    expect(s.running(job)).toHaveLength(1);
    expect(done.FailedTGAllocs?.web?.DimensionExhausted).toEqual({ memory: 1 });
  });

  it('counts reserved resources and the allocations already on the node', async () => {
    const job = mockJob({ ID: 'web' });
    job.TaskGroups![0]!.Count = 8;
    const node = mockNode({ ReservedResources: { Cpu: { CpuShares: 1000 } } as never });
    s = await scenario({ jobs: [job], nodes: [node] });
    await s.evaluate(job);
    expect(s.running(job)).toHaveLength(6);
  });

  it('places the rest when the blocked evaluation runs after a node joins', async () => {
    const job = mockJob({ ID: 'web' });
    job.TaskGroups![0]!.Count = 10;
    s = await scenario({ jobs: [job], nodes: [mockNode()] });
    await s.evaluate(job);
    const blocked = s.store.evalByID(s.planner.created[0]!.ID)!;

    await s.seed({ nodes: [mockNode({ Name: 'new' })] });
    const done = await s.process(blocked);

    expect(done.Status).toBe('complete');
    expect(done.FailedTGAllocs).toBeNull();
    expect(s.running(job)).toHaveLength(10);
    expect(new Set(s.running(job).map((a) => a.Name)).size).toBe(10);
    expect(s.planner.created).toHaveLength(1);
  });

  it('re-blocks a blocked evaluation that still cannot place everything', async () => {
    const job = mockJob({ ID: 'web' });
    job.TaskGroups![0]!.Count = 20;
    s = await scenario({ jobs: [job], nodes: [mockNode()] });
    await s.evaluate(job);
    const blocked = s.store.evalByID(s.planner.created[0]!.ID)!;

    await s.seed({ nodes: [mockNode()] });
    await s.process(blocked);

    expect(s.running(job)).toHaveLength(16);
    expect(s.planner.created).toHaveLength(1);
    const reblocked = s.planner.reblocked[0];
    expect(reblocked).toMatchObject({ ID: blocked.ID, Status: 'blocked' });
    expect(reblocked?.FailedTGAllocs?.web?.CoalescedFailures).toBe(3);
    expect(s.planner.updated.filter((e) => e.ID === blocked.ID)).toEqual([]);
  });
});

describe('allocations told to stop', () => {
  // The soak of issue 7: an agent never starts an allocation already stopped, so it stays
  // `pending`; it must not keep the node full.
  it('hold no room, even while their client still reports them pending or running', async () => {
    const node = mockNode();
    const old = mockJob({ ID: 'old' });
    const stopped = Array.from({ length: 8 }, (_, i) =>
      mockAlloc({
        Job: old,
        NodeID: node.ID,
        Name: `old.web[${i}]`,
        DesiredStatus: i % 2 === 0 ? 'stop' : 'evict',
        ClientStatus: i < 4 ? 'pending' : 'running',
      }),
    );
    const job = mockJob({ ID: 'web' });
    job.TaskGroups![0]!.Count = 8;
    s = await scenario({ jobs: [old, job], nodes: [node], allocs: stopped });
    const done = await s.evaluate(job);
    expect(done.FailedTGAllocs).toBeNull();
    expect(s.running(job)).toHaveLength(8);
  });

  it('are replaced on a full node by a destructive update, again and again', async () => {
    const job = mockJob({ ID: 'web' });
    job.TaskGroups![0]!.Count = 8; // the node's whole CPU
    s = await scenario({ jobs: [job], nodes: [mockNode()] }, { checkCapacity: true });
    await s.evaluate(job);
    for (let version = 1; version <= 3; version++) {
      // A new task config is destructive: all eight are stopped and replaced on the same node.
      const next = structuredClone(job);
      next.TaskGroups![0]!.Tasks![0]!.Config = { command: '/bin/sleep', args: [`${version}`] };
      await s.seed({ jobs: [{ ...next, Version: version }] });
      const done = await s.evaluate(s.store.jobByID(job.Namespace, job.ID)!);
      expect(done.FailedTGAllocs).toBeNull();
      expect(s.running(job)).toHaveLength(8);
      expect(s.allocs(job)).toHaveLength(8 * (version + 1));
    }
  });
});

describe('distinct_hosts', () => {
  it('puts at most one allocation of the group on a node', async () => {
    const job = mockJob({ ID: 'web' });
    job.TaskGroups![0]!.Count = 3;
    job.TaskGroups![0]!.Constraints = [{ LTarget: '', RTarget: '', Operand: 'distinct_hosts' }];
    s = await scenario({ jobs: [job], nodes: [mockNode(), mockNode()] });
    const done = await s.evaluate(job);
    expect(new Set(s.running(job).map((a) => a.NodeID)).size).toBe(2);
    expect(done.FailedTGAllocs?.web?.ConstraintFiltered).toEqual({ distinct_hosts: 2 });
  });
});
