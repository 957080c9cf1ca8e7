// The dry run against a state the real scheduler has placed allocations in: what the reconciler
// counts per group (Nomad's DesiredTGUpdates) for a stop, a removed group, a migration and a
// failed allocation replaced now, and that none of it is written.
import type { Allocation, Evaluation, Job } from '@berth/contract';
import { afterEach, expect, test } from 'vitest';
import { mockEval, mockJob, mockNode } from '../../test-support/mock.js';
import { createGenericScheduler } from '../generic/index.js';
import { nodes, scenario, type Scenario } from '../generic/test-support/scenario.js';
import { dryRun } from './index.js';

let s: Scenario | undefined;
afterEach(() => s?.close());

const ZERO = {
  Ignore: 0,
  Place: 0,
  Migrate: 0,
  Stop: 0,
  InPlaceUpdate: 0,
  DestructiveUpdate: 0,
  Canary: 0,
  Preemptions: 0,
  Disconnect: 0,
  Reconnect: 0,
  RescheduleNow: 0,
  RescheduleLater: 0,
};

/** A running job of `count` allocations, placed by the real scheduler. */
async function placed(count: number): Promise<{ s: Scenario; job: Job }> {
  const job = mockJob({ ID: 'web' });
  job.TaskGroups![0]!.Count = count;
  s = await scenario({ jobs: [job], nodes: nodes(2, () => mockNode()) });
  await s.evaluate(job);
  const running = s.allocs(job).map((a) => ({ ...a, ClientStatus: 'running' as const }));
  await s.seed({ allocs: running });
  return { s, job: s.store.jobByID('default', 'web')! };
}

/** `job` as register would store its next version. */
function nextVersion(sc: Scenario, job: Job, change: Partial<Job>): Job {
  const index = sc.store.latestIndex() + 1;
  return { ...job, ...change, Version: job.Version + 1, ModifyIndex: index, JobModifyIndex: index };
}

function planEval(job: Job): Evaluation {
  return mockEval({ JobID: job.ID, TriggeredBy: 'job-register', AnnotatePlan: true });
}

async function plan(sc: Scenario, job: Job | null, of: Job) {
  const before = sc.store.latestIndex();
  const allocs = sc.allocs(of);
  const result = await dryRun(sc.store, job, planEval(of), createGenericScheduler);
  expect(sc.store.latestIndex()).toBe(before);
  expect(sc.allocs(of)).toEqual(allocs);
  return result;
}

test('stopping the job stops every live allocation', async () => {
  const { s: sc, job } = await placed(3);
  const { plan: p } = await plan(sc, nextVersion(sc, job, { Stop: true }), job);
  expect(p.annotations?.DesiredTGUpdates).toEqual({ web: { ...ZERO, Stop: 3 } });
  expect([...p.nodeUpdate.values()].flat()).toHaveLength(3);
  expect(p.nodeAllocation.size).toBe(0);
});

test('a renamed group: the old one stopped, the new one placed', async () => {
  const { s: sc, job } = await placed(2);
  const group = { ...job.TaskGroups![0]!, Name: 'api', Count: 1 };
  const { plan: p } = await plan(sc, nextVersion(sc, job, { TaskGroups: [group] }), job);
  expect(p.annotations?.DesiredTGUpdates).toEqual({
    web: { ...ZERO, Stop: 2 },
    api: { ...ZERO, Place: 1 },
  });
});

test('an allocation asked to migrate is stopped and placed again, counted as a migration', async () => {
  const { s: sc, job } = await placed(2);
  const [moving] = sc.allocs(job) as [Allocation];
  await sc.seed({
    allocs: [{ ...moving, DesiredTransition: { ...moving.DesiredTransition, Migrate: true } }],
  });
  const { plan: p } = await plan(sc, null, job);
  expect(p.annotations?.DesiredTGUpdates).toEqual({ web: { ...ZERO, Migrate: 1, Ignore: 1 } });
  expect([...p.nodeAllocation.values()].flat().map((a) => a.PreviousAllocation)).toEqual([
    moving.ID,
  ]);
});

test('a failed allocation due for a reschedule is stopped and replaced', async () => {
  const { s: sc, job } = await placed(2);
  const [failed] = sc.allocs(job) as [Allocation];
  const longAgo = new Date(Date.now() - 60_000).toISOString();
  await sc.seed({
    allocs: [
      {
        ...failed,
        ClientStatus: 'failed',
        TaskStates: {
          web: {
            State: 'dead',
            Failed: true,
            Restarts: 0,
            LastRestart: null,
            StartedAt: longAgo,
            FinishedAt: longAgo,
            Events: null,
          } as never,
        },
      },
    ],
  });
  const { plan: p } = await plan(sc, null, job);
  expect(p.annotations?.DesiredTGUpdates).toEqual({
    web: { ...ZERO, Place: 1, Stop: 1, Ignore: 1 },
  });
});

test('an evaluation that does not ask for annotations gets none (the real scheduler)', async () => {
  const { s: sc, job } = await placed(1);
  const evaluation = mockEval({ JobID: job.ID, TriggeredBy: 'job-register' });
  await sc.seed({ evals: [evaluation] });
  await createGenericScheduler(sc.store, sc.planner).process(evaluation);
  expect(sc.planner.plans.every((p) => p.annotations === undefined)).toBe(true);
});
