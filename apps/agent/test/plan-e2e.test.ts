// End to end, `nomad job plan`: a real server and a real node agent (raw_exec, real processes) on
// loopback. Each plan is checked against what the register that follows it then does on the
// node: the allocations placed, updated in place and stopped, and nothing written by the plan.
import type { Allocation, DesiredUpdates, Evaluation, Job, JobPlanResponse } from '@berth/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { recorderJob, startCluster, waitFor, type Cluster } from './support/cluster.js';

let cluster: Cluster | undefined;

afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const ZERO: DesiredUpdates = {
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

const running = (allocs: Allocation[]) =>
  allocs.filter((a) => a.ClientStatus === 'running' && a.DesiredStatus === 'run');

/** What the server stores, to show that a plan wrote none of it. */
async function stored(c: Cluster) {
  const [jobs, evals, allocs] = await Promise.all([
    c.api<unknown[]>('GET', '/v1/jobs'),
    c.api<Evaluation[]>('GET', '/v1/evaluations'),
    c.api<Allocation[]>('GET', '/v1/allocations'),
  ]);
  return { jobs: jobs.length, evals: evals.length, allocs: allocs.length };
}

const plan = (c: Cluster, job: Partial<Job>) =>
  c.api<JobPlanResponse>('PUT', `/v1/job/${job.ID}/plan`, { Job: job, Diff: true });

/** Registers `job` as `nomad job run -check-index` does, then waits for `count` running. */
async function run(c: Cluster, job: Partial<Job>, checkIndex: number, count: number) {
  await c.api('PUT', '/v1/jobs', { Job: job, EnforceIndex: true, JobModifyIndex: checkIndex });
  return running(
    await waitFor(
      () => c.allocsOf(job.ID!),
      (a) =>
        running(a).length === count &&
        a.every((x) => x.DesiredStatus === 'run' || x.ClientStatus !== 'running'),
      60_000,
    ),
  );
}

describe('job plan against a real node', () => {
  it('plans what the following registers then do on the node, and writes nothing itself', async () => {
    const c = (cluster = await startCluster({}));
    await c.startAgent('n1');
    await waitFor(
      () => c.api<{ Status: string }[]>('GET', '/v1/nodes'),
      (nodes) => nodes.length === 1 && nodes[0]!.Status === 'ready',
      30_000,
    );

    // A new job: every allocation placed, nothing stored.
    const empty = await stored(c);
    const first = await plan(c, recorderJob('planned', 2));
    expect(first.Annotations?.DesiredTGUpdates).toEqual({ app: { ...ZERO, Place: 2 } });
    expect(first).toMatchObject({ FailedTGAllocs: null, CreatedEvals: null, JobModifyIndex: 0 });
    expect(first.Diff?.Type).toBe('Added');
    expect(first.Diff?.TaskGroups?.[0]?.Updates).toEqual({ create: 2 });
    expect(await stored(c)).toEqual(empty);

    const placed = await run(c, recorderJob('planned', 2), first.JobModifyIndex, 2);
    expect(placed.map((a) => a.Name).sort()).toEqual(['planned.app[0]', 'planned.app[1]']);

    // One more: one placed, the two running moved to the new version in place.
    const up = await plan(c, recorderJob('planned', 3));
    expect(up.Annotations?.DesiredTGUpdates?.app).toEqual({ ...ZERO, Place: 1, InPlaceUpdate: 2 });
    expect(up.Diff?.TaskGroups?.[0]?.Updates).toEqual({ create: 1, 'in-place update': 2 });
    const before = await stored(c);
    expect(before.allocs).toBe(2);
    const scaledUp = await run(c, recorderJob('planned', 3), up.JobModifyIndex, 3);
    const kept = placed.map((a) => a.ID);
    expect(scaledUp.filter((a) => kept.includes(a.ID))).toHaveLength(2);
    expect(scaledUp.map((a) => a.Name).sort()).toEqual([
      'planned.app[0]',
      'planned.app[1]',
      'planned.app[2]',
    ]);

    // Down to one: two stopped (the highest names), one kept in place.
    const down = await plan(c, recorderJob('planned', 1));
    expect(down.Annotations?.DesiredTGUpdates?.app).toEqual({ ...ZERO, Stop: 2, InPlaceUpdate: 1 });
    expect(down.Diff?.TaskGroups?.[0]?.Fields?.find((f) => f.Name === 'Count')).toMatchObject({
      Old: '3',
      New: '1',
      Annotations: ['forces destroy'],
    });
    const left = await run(c, recorderJob('planned', 1), down.JobModifyIndex, 1);
    expect(left.map((a) => a.Name)).toEqual(['planned.app[0]']);
    const all = await c.allocsOf('planned');
    expect(all.filter((a) => a.DesiredStatus === 'stop')).toHaveLength(2);

    // A stale -check-index is refused, as the plan's index told the user it would be.
    await expect(
      c.api('PUT', '/v1/jobs', {
        Job: recorderJob('planned', 2),
        EnforceIndex: true,
        JobModifyIndex: up.JobModifyIndex,
      }),
    ).rejects.toThrow('Enforcing job modify index');
  });

  it('a job that cannot fit on the node answers FailedTGAllocs and the blocked evaluation', async () => {
    const c = (cluster = await startCluster({}));
    await c.startAgent('n1');
    await waitFor(
      () => c.api<{ Status: string }[]>('GET', '/v1/nodes'),
      (nodes) => nodes.length === 1 && nodes[0]!.Status === 'ready',
      30_000,
    );
    const base = recorderJob('huge', 2);
    const group = base.TaskGroups![0]!;
    const task = { ...group.Tasks![0]!, Resources: { CPU: 10, MemoryMB: 10_000_000 } };
    const huge = { ...base, TaskGroups: [{ ...group, Tasks: [task] }] } as Partial<Job>;
    const empty = await stored(c);
    const answer = await plan(c, huge);
    expect(answer.Annotations?.DesiredTGUpdates?.app).toEqual({ ...ZERO, Place: 2 });
    expect(answer.FailedTGAllocs?.app).toMatchObject({
      NodesEvaluated: 1,
      NodesExhausted: 1,
      DimensionExhausted: { memory: 1 },
      CoalescedFailures: 1,
    });
    expect(answer.CreatedEvals).toHaveLength(1);
    expect(answer.CreatedEvals?.[0]).toMatchObject({ Status: 'blocked', JobID: 'huge' });
    expect(await stored(c)).toEqual(empty);
  });
});
