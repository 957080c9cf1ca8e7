// A job over its life: scaling up and down, updates in place and destructive, stop and purge.
import type { Job } from '@berth/contract';
import { afterEach, describe, expect, it } from 'vitest';

import { mockJob, mockNode } from '../../test-support/mock.js';
import { nodes, scenario, type Scenario } from './test-support/scenario.js';

let s: Scenario | undefined;
afterEach(() => s?.close());

/** Registers a new version of the job, as the jobs endpoint would. */
async function update(sc: Scenario, job: Job, change: (j: Job) => void): Promise<Job> {
  const next: Job = structuredClone(job);
  change(next);
  const index = sc.store.latestIndex() + 1;
  const version = (sc.store.jobByID(job.Namespace, job.ID)?.Version ?? 0) + 1;
  const stored = { ...next, Version: version, JobModifyIndex: index, ModifyIndex: index };
  await sc.store.write((tx) => tx.upsertJob(stored));
  return sc.store.jobByID(job.Namespace, job.ID)!;
}

function count(job: Job, n: number): Job {
  job.TaskGroups![0]!.Count = n;
  return job;
}

describe('scaling', () => {
  it('scales up into the lowest free indexes', async () => {
    const job = count(mockJob({ ID: 'web' }), 3);
    s = await scenario({ jobs: [job], nodes: nodes(4, () => mockNode()) });
    await s.evaluate(job);
    const v1 = await update(s, job, (j) => count(j, 5));
    await s.evaluate(v1);
    const names = s
      .running(job)
      .map((a) => a.Name)
      .sort();
    expect(names).toEqual(['web.web[0]', 'web.web[1]', 'web.web[2]', 'web.web[3]', 'web.web[4]']);
    // The count change is not destructive: the first three stay where they were, on the new version.
    expect(s.running(job).every((a) => a.Job?.Version === 1)).toBe(true);
  });

  it('scales down by stopping the highest indexes', async () => {
    const job = count(mockJob({ ID: 'web' }), 5);
    s = await scenario({ jobs: [job], nodes: nodes(4, () => mockNode()) });
    await s.evaluate(job);
    const v1 = await update(s, job, (j) => count(j, 2));
    const done = await s.evaluate(v1);
    expect(done.Status).toBe('complete');
    expect(
      s
        .running(job)
        .map((a) => a.Name)
        .sort(),
    ).toEqual(['web.web[0]', 'web.web[1]']);
    const stopped = s.allocs(job).filter((a) => a.DesiredStatus === 'stop');
    expect(stopped.map((a) => a.Name).sort()).toEqual(['web.web[2]', 'web.web[3]', 'web.web[4]']);
    for (const a of stopped)
      expect(a.DesiredDescription).toBe('alloc not needed due to job update');
  });

  it('fills a gap left by a stopped allocation', async () => {
    const job = count(mockJob({ ID: 'web' }), 3);
    s = await scenario({ jobs: [job], nodes: nodes(3, () => mockNode()) });
    await s.evaluate(job);
    const one = s.running(job).find((a) => a.Name === 'web.web[1]')!;
    await s.store.write((tx) => tx.upsertAlloc({ ...one, ClientStatus: 'complete' }));
    await s.evaluate(job);
    expect(
      s
        .running(job)
        .map((a) => a.Name)
        .sort(),
    ).toEqual(['web.web[0]', 'web.web[1]', 'web.web[2]']);
  });

  it('does nothing when nothing changed', async () => {
    const job = count(mockJob({ ID: 'web' }), 3);
    s = await scenario({ jobs: [job], nodes: nodes(3, () => mockNode()) });
    await s.evaluate(job);
    const plans = s.planner.plans.length;
    const done = await s.evaluate(job);
    expect(done).toMatchObject({ Status: 'complete', QueuedAllocations: { web: 0 } });
    expect(s.planner.plans).toHaveLength(plans);
  });
});

describe('job updates', () => {
  it('replaces allocations when the task changes destructively', async () => {
    const job = count(mockJob({ ID: 'web' }), 3);
    s = await scenario({ jobs: [job], nodes: nodes(3, () => mockNode()) });
    await s.evaluate(job);
    const before = s.running(job);
    const v1 = await update(s, job, (j) => {
      j.TaskGroups![0]!.Tasks![0]!.Config = { command: '/bin/true' };
    });
    await s.evaluate(v1);

    const after = s.running(job);
    expect(after).toHaveLength(3);
    expect(after.every((a) => a.Job?.Version === 1)).toBe(true);
    expect(after.map((a) => a.Name).sort()).toEqual(before.map((a) => a.Name).sort());
    for (const old of before) {
      const stored = s.store.allocByID(old.ID)!;
      expect(stored).toMatchObject({
        DesiredStatus: 'stop',
        DesiredDescription: 'alloc is being updated due to job update',
      });
      const next = after.find((a) => a.PreviousAllocation === old.ID);
      expect(next?.Name).toBe(old.Name);
      expect(stored.NextAllocation).toBe(next?.ID);
    }
  });

  it('replaces allocations when resources change', async () => {
    const job = count(mockJob({ ID: 'web' }), 2);
    s = await scenario({ jobs: [job], nodes: nodes(2, () => mockNode()) });
    await s.evaluate(job);
    const before = new Set(s.running(job).map((a) => a.ID));
    const v1 = await update(s, job, (j) => {
      j.TaskGroups![0]!.Tasks![0]!.Resources!.CPU = 600;
    });
    await s.evaluate(v1);
    expect(s.running(job).some((a) => before.has(a.ID))).toBe(false);
    expect(s.running(job)[0]?.AllocatedResources?.Tasks?.web?.Cpu.CpuShares).toBe(600);
  });

  it('updates in place when only non-destructive fields change', async () => {
    const job = count(mockJob({ ID: 'web' }), 3);
    s = await scenario({ jobs: [job], nodes: nodes(3, () => mockNode()) });
    await s.evaluate(job);
    const before = s.running(job);
    const v1 = await update(s, job, (j) => {
      j.TaskGroups![0]!.Tasks![0]!.KillTimeout = 10_000_000_000;
    });
    const done = await s.evaluate(v1);
    const after = s.running(job);
    expect(after.map((a) => `${a.ID}@${a.NodeID}`).sort()).toEqual(
      before.map((a) => `${a.ID}@${a.NodeID}`).sort(),
    );
    expect(after.every((a) => a.Job?.Version === 1 && a.EvalID === done.ID)).toBe(true);
  });

  it('replaces an allocation whose node no longer meets a new constraint', async () => {
    const job = count(mockJob({ ID: 'web' }), 2);
    const a = mockNode({ Meta: { rack: 'a' } });
    const b = mockNode({ Meta: { rack: 'b' } });
    s = await scenario({ jobs: [job], nodes: [a, b] });
    await s.evaluate(job);
    const v1 = await update(s, job, (j) => {
      j.Constraints = [
        ...(j.Constraints ?? []),
        { LTarget: '${meta.rack}', RTarget: 'b', Operand: '=' },
      ];
    });
    await s.evaluate(v1);
    expect(s.running(job)).toHaveLength(2);
    expect(s.running(job).every((x) => x.NodeID === b.ID)).toBe(true);
  });
});

describe('stopping a job', () => {
  it('stops every allocation when the job is stopped', async () => {
    const job = count(mockJob({ ID: 'web' }), 3);
    s = await scenario({ jobs: [job], nodes: nodes(3, () => mockNode()) });
    await s.evaluate(job);
    const v1 = await update(s, job, (j) => {
      j.Stop = true;
    });
    const done = await s.evaluate(v1, { TriggeredBy: 'job-deregister' });
    expect(done.Status).toBe('complete');
    expect(s.running(job)).toEqual([]);
    for (const a of s.allocs(job)) {
      expect(a.DesiredDescription).toBe('alloc not needed due to job update');
    }
  });

  it('stops every allocation when the job is purged', async () => {
    const job = count(mockJob({ ID: 'web' }), 2);
    s = await scenario({ jobs: [job], nodes: nodes(2, () => mockNode()) });
    await s.evaluate(job);
    await s.store.write((tx) => tx.deleteJob('default', 'web'));
    const done = await s.evaluate(job, { TriggeredBy: 'job-deregister' });
    expect(done).toMatchObject({ Status: 'complete', QueuedAllocations: {} });
    expect(s.running(job)).toEqual([]);
    expect(s.planner.plans.at(-1)?.job).toBeNull();
  });

  it('stops a removed task group and places the new one', async () => {
    const job = count(mockJob({ ID: 'web' }), 2);
    s = await scenario({ jobs: [job], nodes: nodes(2, () => mockNode()) });
    await s.evaluate(job);
    const v1 = await update(s, job, (j) => {
      j.TaskGroups![0]!.Name = 'api';
    });
    await s.evaluate(v1);
    expect(
      s
        .running(job)
        .map((a) => a.Name)
        .sort(),
    ).toEqual(['web.api[0]', 'web.api[1]']);
  });
});

describe('evaluations it cannot handle', () => {
  it('fails an evaluation with an unknown trigger', async () => {
    const job = mockJob({ ID: 'web' });
    s = await scenario({ jobs: [job], nodes: [mockNode()] });
    const done = await s.evaluate(job, { TriggeredBy: 'bogus' });
    expect(done).toMatchObject({
      Status: 'failed',
      StatusDescription: "scheduler cannot handle 'bogus' evaluation reason",
    });
    expect(s.allocs(job)).toEqual([]);
  });
});
