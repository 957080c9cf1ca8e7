// Replacing allocations: alloc stop (migration), failures under the reschedule policy, lost nodes.
import type { Allocation, Job } from '@berth/contract';
import { afterEach, describe, expect, it } from 'vitest';

import { mockJob, mockNode, SECOND } from '../../test-support/mock.js';
import { nanosFromRfc3339 } from './time.js';
import { nodes, scenario, type Scenario } from './test-support/scenario.js';

let s: Scenario | undefined;
afterEach(() => s?.close());

function count(job: Job, n: number): Job {
  job.TaskGroups![0]!.Count = n;
  return job;
}

async function change(
  sc: Scenario,
  alloc: Allocation,
  fields: Partial<Allocation>,
): Promise<Allocation> {
  await sc.store.write((tx) => tx.upsertAlloc({ ...alloc, ...fields, ModifyIndex: tx.index }));
  return sc.store.allocByID(alloc.ID)!;
}

const NOW = () => Date.now() * 1_000_000;

describe('alloc stop is a migration', () => {
  it('stops the allocation and places a linked replacement', async () => {
    const job = count(mockJob({ ID: 'web' }), 2);
    s = await scenario({ jobs: [job], nodes: nodes(3, () => mockNode()) });
    await s.evaluate(job);
    const old = s.running(job)[0]!;
    await change(s, old, {
      DesiredTransition: {
        ...old.DesiredTransition,
        Migrate: true,
        Reschedule: false,
        NoShutdownDelay: false,
      },
    });
    const done = await s.evaluate(job, { TriggeredBy: 'alloc-stop' });

    expect(done.Status).toBe('complete');
    expect(s.store.allocByID(old.ID)).toMatchObject({
      DesiredStatus: 'stop',
      DesiredDescription: 'alloc is being migrated',
    });
    const next = s.running(job).find((a) => a.PreviousAllocation === old.ID)!;
    expect(next.Name).toBe(old.Name);
    expect(next.RescheduleTracker).toBeNull();
    expect(s.store.allocByID(old.ID)?.NextAllocation).toBe(next.ID);
    expect(s.running(job)).toHaveLength(2);
  });

  it('places a stopped batch allocation by the reschedule rules when asked to reschedule', async () => {
    const job = count(mockJob({ ID: 'batch', Type: 'batch' }), 1);
    job.TaskGroups![0]!.ReschedulePolicy!.Delay = 0;
    s = await scenario({ jobs: [job], nodes: nodes(2, () => mockNode()) });
    await s.evaluate(job);
    const old = s.running(job)[0]!;
    await change(s, old, {
      ClientStatus: 'running',
      DesiredTransition: { ...old.DesiredTransition, Migrate: true, Reschedule: true },
    });
    await s.evaluate(job, { TriggeredBy: 'alloc-stop' });

    expect(s.store.allocByID(old.ID)?.DesiredDescription).toBe('alloc is being migrated');
    const next = s.running(job).find((a) => a.PreviousAllocation === old.ID)!;
    expect(next.RescheduleTracker?.Events).toEqual([
      expect.objectContaining({ PrevAllocID: old.ID, PrevNodeID: old.NodeID }),
    ]);
  });
});

describe('failed allocations', () => {
  it('reschedules a failed allocation now when its delay has passed', async () => {
    const job = count(mockJob({ ID: 'web' }), 1);
    job.TaskGroups![0]!.ReschedulePolicy = {
      Attempts: 2,
      Interval: 600 * SECOND,
      Delay: 0,
      DelayFunction: 'constant',
      MaxDelay: 0,
      Unlimited: false,
    };
    s = await scenario({ jobs: [job], nodes: nodes(2, () => mockNode()) });
    await s.evaluate(job);
    const failed = await change(s, s.running(job)[0]!, {
      ClientStatus: 'failed',
      ModifyTime: NOW(),
    });
    await s.evaluate(job, { TriggeredBy: 'alloc-failure' });

    const next = s.running(job)[0]!;
    expect(next.PreviousAllocation).toBe(failed.ID);
    expect(next.Name).toBe(failed.Name);
    expect(next.NodeID).not.toBe(failed.NodeID); // the node it failed on is penalised
    expect(next.RescheduleTracker).toMatchObject({
      LastReschedule: 'ok',
      Events: [{ PrevAllocID: failed.ID, PrevNodeID: failed.NodeID, Delay: 0 }],
    });
    expect(s.store.allocByID(failed.ID)).toMatchObject({
      DesiredStatus: 'stop',
      DesiredDescription: 'alloc was rescheduled because it failed',
      NextAllocation: next.ID,
    });
  });

  it('delays a reschedule with a follow-up evaluation, then places it when that runs', async () => {
    const job = count(mockJob({ ID: 'web' }), 1); // constant 5 s delay, 2 attempts
    s = await scenario({ jobs: [job], nodes: nodes(2, () => mockNode()) });
    await s.evaluate(job);
    const failedAt = NOW();
    const failed = await change(s, s.running(job)[0]!, {
      ClientStatus: 'failed',
      ModifyTime: failedAt,
    });
    const done = await s.evaluate(job, { TriggeredBy: 'alloc-failure' });

    expect(s.running(job)).toEqual([]);
    const followUp = s.planner.created[0]!;
    expect(followUp).toMatchObject({
      Status: 'pending',
      TriggeredBy: 'alloc-failure',
      PreviousEval: done.ID,
      StatusDescription: 'created for delayed rescheduling',
    });
    expect(nanosFromRfc3339(followUp.WaitUntil)).toBe(failedAt + 5 * SECOND);
    expect(done.NextEval).toBe(followUp.ID);
    expect(s.store.allocByID(failed.ID)?.FollowupEvalID).toBe(followUp.ID);
    expect(s.store.allocByID(failed.ID)?.DesiredStatus).toBe('run');

    // Another evaluation before then leaves it alone.
    await s.evaluate(job, { TriggeredBy: 'job-register' });
    expect(s.running(job)).toEqual([]);
    expect(s.planner.created).toHaveLength(1);

    // The follow-up evaluation replaces it.
    await s.process(s.store.evalByID(followUp.ID)!);
    const next = s.running(job)[0]!;
    expect(next.PreviousAllocation).toBe(failed.ID);
    expect(next.RescheduleTracker?.Events?.[0]?.Delay).toBe(5 * SECOND);
  });

  it('stops replacing once the attempts within the interval are used', async () => {
    const job = count(mockJob({ ID: 'web' }), 1);
    job.TaskGroups![0]!.ReschedulePolicy = {
      Attempts: 1,
      Interval: 3600 * SECOND,
      Delay: 0,
      DelayFunction: 'constant',
      MaxDelay: 0,
      Unlimited: false,
    };
    s = await scenario({ jobs: [job], nodes: nodes(2, () => mockNode()) });
    await s.evaluate(job);
    await change(s, s.running(job)[0]!, { ClientStatus: 'failed', ModifyTime: NOW() });
    await s.evaluate(job, { TriggeredBy: 'alloc-failure' });
    const second = s.running(job)[0]!;
    await change(s, second, { ClientStatus: 'failed', ModifyTime: NOW() });
    await s.evaluate(job, { TriggeredBy: 'alloc-failure' });

    expect(s.running(job)).toEqual([]);
    expect(s.store.allocByID(second.ID)).toMatchObject({
      DesiredStatus: 'run',
      NextAllocation: '',
    });
    expect(s.planner.created).toEqual([]);
  });

  it('grows the delay exponentially up to MaxDelay', async () => {
    const job = count(mockJob({ ID: 'web' }), 1);
    job.TaskGroups![0]!.ReschedulePolicy = {
      Attempts: 0,
      Interval: 0,
      Delay: 10 * SECOND,
      DelayFunction: 'exponential',
      MaxDelay: 30 * SECOND,
      Unlimited: true,
    };
    s = await scenario({ jobs: [job], nodes: nodes(2, () => mockNode()) });
    await s.evaluate(job);
    const delays: number[] = [];
    let current = s.running(job)[0]!;
    for (let i = 0; i < 3; i++) {
      const failedAt = NOW();
      await change(s, current, { ClientStatus: 'failed', ModifyTime: failedAt });
      await s.evaluate(job, { TriggeredBy: 'alloc-failure' });
      const followUp = s.planner.created.at(-1)!;
      delays.push(nanosFromRfc3339(followUp.WaitUntil)! - failedAt);
      await s.process(s.store.evalByID(followUp.ID)!);
      current = s.running(job)[0]!;
    }
    expect(delays).toEqual([10 * SECOND, 20 * SECOND, 30 * SECOND]);
    expect(current.RescheduleTracker?.Events?.map((e) => e.Delay)).toEqual([
      10 * SECOND,
      20 * SECOND,
      30 * SECOND,
    ]);
  });

  it('never replaces batch allocations that completed', async () => {
    const job = count(mockJob({ ID: 'batch', Type: 'batch' }), 2);
    s = await scenario({ jobs: [job], nodes: nodes(2, () => mockNode()) });
    await s.evaluate(job);
    for (const a of s.running(job)) await change(s, a, { ClientStatus: 'complete' });
    await s.evaluate(job);
    expect(s.allocs(job)).toHaveLength(2);
    expect(s.running(job)).toEqual([]);
  });

  it('replaces a failed batch allocation once by default', async () => {
    const job = count(mockJob({ ID: 'batch', Type: 'batch' }), 1);
    job.TaskGroups![0]!.ReschedulePolicy = null;
    s = await scenario({ jobs: [job], nodes: nodes(2, () => mockNode()) });
    await s.evaluate(job);
    // Failed long enough ago that the default 5 s delay has passed.
    await change(s, s.running(job)[0]!, {
      ClientStatus: 'failed',
      ModifyTime: NOW() - 60 * SECOND,
    });
    await s.evaluate(job, { TriggeredBy: 'alloc-failure' });
    const second = s.running(job)[0]!;
    expect(second.RescheduleTracker?.Events?.[0]?.Delay).toBe(5 * SECOND);
    await change(s, second, { ClientStatus: 'failed', ModifyTime: NOW() - 60 * SECOND });
    await s.evaluate(job, { TriggeredBy: 'alloc-failure' });
    expect(s.running(job)).toEqual([]);
  });

  it('keeps a failed allocation reschedulable when its replacement does not fit', async () => {
    const job = count(mockJob({ ID: 'web' }), 1);
    job.TaskGroups![0]!.ReschedulePolicy!.Delay = 0;
    const node = mockNode();
    s = await scenario({ jobs: [job], nodes: [node] });
    await s.evaluate(job);
    const failed = await change(s, s.running(job)[0]!, {
      ClientStatus: 'failed',
      ModifyTime: NOW(),
    });
    await s.store.write((tx) => tx.upsertNode({ ...node, Status: 'down' }));
    const done = await s.evaluate(job, { TriggeredBy: 'alloc-failure' });
    expect(done.FailedTGAllocs?.web).toBeDefined();
    expect(s.store.allocByID(failed.ID)).toMatchObject({
      DesiredStatus: 'run',
      RescheduleTracker: { LastReschedule: 'no placement' },
    });
    // A node joins; the blocked evaluation reschedules it.
    await s.seed({ nodes: [mockNode()] });
    await s.process(s.store.evalByID(done.BlockedEval)!);
    expect(s.running(job)[0]?.PreviousAllocation).toBe(failed.ID);
  });
});

describe('a node going down', () => {
  it('marks its allocations lost and replaces them elsewhere', async () => {
    const job = count(mockJob({ ID: 'web' }), 4);
    const [a, b] = [mockNode(), mockNode()];
    s = await scenario({ jobs: [job], nodes: [a, b] });
    await s.evaluate(job);
    const onA = s.running(job).filter((x) => x.NodeID === a.ID);
    expect(onA.length).toBeGreaterThan(0);
    await s.store.write((tx) => tx.upsertNode({ ...a, Status: 'down' }));
    await s.evaluate(job, { TriggeredBy: 'node-update', NodeID: a.ID });

    for (const lost of onA) {
      const stored = s.store.allocByID(lost.ID)!;
      expect(stored).toMatchObject({
        ClientStatus: 'lost',
        DesiredStatus: 'stop',
        DesiredDescription: 'alloc is lost since its node is down',
      });
      const next = s.running(job).find((x) => x.PreviousAllocation === lost.ID);
      expect(next?.NodeID).toBe(b.ID);
      expect(next?.Name).toBe(lost.Name);
      expect(next?.RescheduleTracker).toBeNull();
    }
    expect(s.running(job)).toHaveLength(4);
  });

  it('treats allocations of a node that is gone as lost', async () => {
    const job = count(mockJob({ ID: 'web' }), 1);
    const [a, b] = [mockNode(), mockNode()];
    s = await scenario({ jobs: [job], nodes: [a, b] });
    await s.evaluate(job);
    const old = s.running(job)[0]!;
    await s.store.write((tx) => tx.deleteNode(old.NodeID));
    await s.evaluate(job, { TriggeredBy: 'node-update' });
    expect(s.store.allocByID(old.ID)?.ClientStatus).toBe('lost');
    expect(s.running(job)[0]?.PreviousAllocation).toBe(old.ID);
  });
});
