// `nomad job plan` against berth: PUT/POST /v1/job/:id/plan runs the real scheduler on the job
// as register would store it and answers what it would do, writing nothing; the register that
// follows then does what the plan said.
import type { JobSubmissionInput } from '@berth/contract';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { seed, startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockNode } from '../../test-support/mock.js';
import { waitForState } from '../../test-support/wait-for-state.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ scheduling: true });
  await seed(server.store, { nodes: [mockNode(), mockNode()] });
});
afterEach(() => server.close());

const job = (count: number, extra: Record<string, unknown> = {}): JobSubmissionInput => ({
  ID: 'web',
  Datacenters: ['dc1'],
  TaskGroups: [
    {
      Name: 'web',
      Count: count,
      Tasks: [{ Name: 'web', Driver: 'raw_exec', Config: { command: '/bin/sleep' }, ...extra }],
    },
  ],
});

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

const evalDone = (id: string) => () => server.store.evalByID(id)?.Status === 'complete';

async function register(count: number) {
  const { data } = await server.client.jobs.register(job(count));
  await waitForState(server.store, evalDone(data.EvalID));
  return data;
}

const live = () =>
  server.store.allocsByJob('default', 'web').filter((a) => a.DesiredStatus === 'run');

test('planning a new job places its count and writes nothing', async () => {
  const before = server.store.latestIndex();
  const { data, meta } = await server.client.jobs.plan(job(3));
  expect(data.Annotations).toEqual({
    DesiredTGUpdates: { web: { ...ZERO, Place: 3 } },
    PreemptedAllocs: null,
  });
  expect(data).toMatchObject({
    FailedTGAllocs: null,
    JobModifyIndex: 0,
    CreatedEvals: null,
    Diff: null,
    NextPeriodicLaunch: '0001-01-01T00:00:00Z',
    Warnings: '',
    Index: 0,
  });
  expect(meta.lastIndex).toBe(0);
  // No job, evaluation or allocation, and no write at all.
  expect(server.store.latestIndex()).toBe(before);
  expect(server.store.jobByID('default', 'web')).toBeUndefined();
  expect(server.store.allocsByJob('default', 'web')).toEqual([]);
  expect((await server.client.evaluations.list()).data).toEqual([]);
});

test('a count change plans what the register then does; -check-index gets the JobModifyIndex', async () => {
  const first = await register(3);
  expect(live()).toHaveLength(3);

  const up = (await server.client.jobs.plan(job(5))).data;
  // A new version: the running allocations move to it in place (as in Nomad).
  expect(up.Annotations?.DesiredTGUpdates?.web).toEqual({ ...ZERO, Place: 2, InPlaceUpdate: 3 });
  expect(up.JobModifyIndex).toBe(first.JobModifyIndex);
  const second = await server.client.jobs.register(job(5), {
    enforceIndex: true,
    jobModifyIndex: up.JobModifyIndex,
  });
  await waitForState(server.store, evalDone(second.data.EvalID));
  expect(live()).toHaveLength(5);
  expect(live().every((a) => a.Job?.JobModifyIndex === second.data.JobModifyIndex)).toBe(true);

  const down = (await server.client.jobs.plan(job(2))).data;
  expect(down.Annotations?.DesiredTGUpdates?.web).toEqual({ ...ZERO, Stop: 3, InPlaceUpdate: 2 });
  expect(down.JobModifyIndex).toBe(second.data.JobModifyIndex);
  await register(2);
  expect(live()).toHaveLength(2);

  // An unchanged job: everything is left as it is, and the diff says so.
  const same = (await server.client.jobs.plan(job(2), { diff: true })).data;
  expect(same.Annotations?.DesiredTGUpdates?.web).toEqual({ ...ZERO, Ignore: 2 });
  expect(same.Diff?.Type).toBe('None');
  expect(same.Diff?.TaskGroups?.map((g) => [g.Name, g.Type, g.Updates])).toEqual([
    ['web', 'None', { ignore: 2 }],
  ]);
});

test('a changed task replaces its allocations; the diff says why and how many', async () => {
  await register(2);
  const { data } = await server.client.jobs.plan(job(3, { Config: { command: '/bin/true' } }), {
    diff: true,
  });
  expect(data.Annotations?.DesiredTGUpdates?.web).toEqual({
    ...ZERO,
    Place: 1,
    DestructiveUpdate: 2,
  });
  expect(data.Diff?.Type).toBe('Edited');
  const [group] = data.Diff?.TaskGroups ?? [];
  expect(group?.Updates).toEqual({ create: 1, 'create/destroy update': 2 });
  expect(group?.Fields?.find((f) => f.Name === 'Count')).toMatchObject({
    Old: '2',
    New: '3',
    Annotations: ['forces create'],
  });
  expect(group?.Tasks?.[0]?.Annotations).toEqual(['forces create/destroy update']);
  expect(live()).toHaveLength(2);
});

test('a job that cannot fit answers FailedTGAllocs and the blocked evaluation it would create', async () => {
  const { data } = await server.client.jobs.plan(job(2, { Resources: { MemoryMB: 100_000 } }));
  expect(data.Annotations?.DesiredTGUpdates?.web).toEqual({ ...ZERO, Place: 2 });
  const failed = data.FailedTGAllocs?.web;
  expect(failed).toMatchObject({ NodesEvaluated: 2, NodesExhausted: 2, CoalescedFailures: 1 });
  expect(failed?.DimensionExhausted).toEqual({ memory: 2 });
  expect(data.CreatedEvals).toHaveLength(1);
  expect(data.CreatedEvals?.[0]).toMatchObject({
    Status: 'blocked',
    TriggeredBy: 'queued-allocs',
    JobID: 'web',
  });
  expect(server.store.evalByID(data.CreatedEvals![0]!.ID)).toBeUndefined();
});

test("Nomad's agent texts: no job, no ID, another ID; POST works as PUT", async () => {
  const put = (body: unknown, method: 'PUT' | 'POST' = 'PUT') =>
    server.inject({ method, url: '/v1/job/web/plan', payload: body as object });
  const noJob = await put({});
  expect([noJob.statusCode, noJob.body]).toEqual([400, 'Job must be specified']);
  const noID = await put({ Job: { Name: 'web' } });
  expect([noID.statusCode, noID.body]).toEqual([400, 'Job must have a valid ID']);
  const other = await put({ Job: { ID: 'api' } });
  expect([other.statusCode, other.body]).toEqual([400, 'Job ID does not match']);
  const wrongKind = await put({ Job: job(1), Diff: 'yes' });
  expect(wrongKind.statusCode).toBe(400);
  expect(wrongKind.body).toContain('json: cannot unmarshal string into Go struct field');
  const invalid = await put({ Job: { ID: 'web', TaskGroups: [] } });
  expect(invalid.statusCode).toBe(400);
  expect(invalid.body).toContain('Missing job task groups');
  const system = await put({ Job: { ...job(1), Type: 'system' } });
  expect([system.statusCode, system.body]).toEqual([
    400,
    "failed to instantiate scheduler: unknown scheduler 'system'",
  ]);
  const posted = await put({ Job: job(1) }, 'POST');
  expect(posted.statusCode).toBe(200);
  expect(JSON.parse(posted.body)).toMatchObject({ JobModifyIndex: 0 });
});

test('a periodic job answers its next launch; a bad cron spec is a 400', async () => {
  const periodic = (Spec: string) => ({
    ...job(1),
    Type: 'batch' as const,
    Periodic: { Enabled: true, SpecType: 'cron', Spec, TimeZone: 'UTC' },
  });
  const before = Date.now();
  const { data } = await server.client.jobs.plan(periodic('@hourly'));
  const next = Date.parse(data.NextPeriodicLaunch);
  expect(next).toBeGreaterThan(before);
  expect(next - before).toBeLessThanOrEqual(3_600_000);
  expect(data.NextPeriodicLaunch).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00Z$/);
  const bad = await server.inject({
    method: 'PUT',
    url: '/v1/job/web/plan',
    payload: { Job: periodic('* * *') },
  });
  expect([bad.statusCode, bad.body]).toEqual([
    400,
    "Failed to parse cron expression: missing field(s) in '* * *'",
  ]);
});
