// What client.jobs.plan sends and how it reads the answer.
import { expect, test } from 'vitest';
import { createClient } from './index.js';
import { fakeFetch, json } from './test-support/fake-fetch.js';

const ZERO_TIME = '0001-01-01T00:00:00Z';
const desired = {
  Ignore: 1,
  Place: 2,
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
const planned = {
  Annotations: { DesiredTGUpdates: { cache: desired }, PreemptedAllocs: null },
  FailedTGAllocs: null,
  JobModifyIndex: 12,
  CreatedEvals: null,
  Diff: null,
  NextPeriodicLaunch: ZERO_TIME,
  Warnings: '',
  Index: 12,
};

test("plan PUTs a JobPlanRequest to the job's plan path, as Nomad's PlanOpts", async () => {
  const { fetch, sent } = fakeFetch(() => json(planned, { 'X-Nomad-Index': '12' }));
  const client = createClient({ address: 'http://h', namespace: 'web', fetch });
  const job = { ID: 'a/b', TaskGroups: [{ Name: 'cache', Count: 3 }] };
  const { data, meta } = await client.jobs.plan(job, { diff: true });
  const req = sent[0]!;
  expect(`${req.method} ${req.url.pathname}`).toBe('PUT /v1/job/a%2Fb/plan');
  expect(Object.fromEntries(req.url.searchParams)).toEqual({ namespace: 'web' });
  expect(JSON.parse(req.body!)).toEqual({ Job: job, Diff: true, PolicyOverride: false });
  expect(data.Annotations?.DesiredTGUpdates?.cache).toEqual(desired);
  expect(data.JobModifyIndex).toBe(12);
  expect(meta.lastIndex).toBe(12);
});

test('plan reads what would not fit and the blocked evaluation it would create', async () => {
  const failed = {
    ...planned,
    FailedTGAllocs: { cache: { NodesEvaluated: 2, NodesExhausted: 2, CoalescedFailures: 1 } },
    CreatedEvals: [{ ID: '6f5e3b2a-1c4d-4e8f-9a0b-7c6d5e4f3a2b', Status: 'blocked' }],
  };
  const { fetch } = fakeFetch(() => json(failed));
  const client = createClient({ address: 'http://h', fetch });
  const { data } = await client.jobs.plan({ ID: 'web' });
  expect(data.FailedTGAllocs?.cache).toMatchObject({ NodesExhausted: 2, CoalescedFailures: 1 });
  expect(data.CreatedEvals?.[0]).toMatchObject({ Status: 'blocked', TriggeredBy: '' });
  expect(data.NextPeriodicLaunch).toBe(ZERO_TIME);
});

test('plan refuses a job without an ID before sending anything', async () => {
  const { fetch, sent } = fakeFetch(() => json(planned));
  const client = createClient({ address: 'http://h', fetch });
  await expect(client.jobs.plan({ Name: 'web' })).rejects.toThrow('missing ID');
  expect(sent).toHaveLength(0);
});
