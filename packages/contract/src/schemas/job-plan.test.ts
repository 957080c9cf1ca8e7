// The job plan body as Nomad's agent decodes api.JobPlanRequest, and its answer as the Go client
// reads it.
import { expect, test } from 'vitest';
import { JobPlanRequestSchema, JobPlanResponseSchema } from './job-plan.js';

const firstError = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.success ? undefined : r.error?.issues[0]?.message;

test('a plan request keeps the job as sent and fills the rest with Go zero values', () => {
  const job = { ID: 'web', TaskGroups: [{ Name: 'web', Count: 2 }] };
  expect(JobPlanRequestSchema.parse({ job, diff: true })).toEqual({
    Job: job,
    Diff: true,
    PolicyOverride: false,
    Region: '',
    Namespace: '',
    SecretID: '',
  });
  expect(JobPlanRequestSchema.parse({}).Job).toBeNull();
});

test("Go's texts for a value of the wrong kind; no body at all", () => {
  expect(firstError(JobPlanRequestSchema.safeParse({ Diff: 'yes' }))).toBe(
    'json: cannot unmarshal string into Go struct field JobPlanRequest.Diff of type bool',
  );
  expect(
    firstError(JobPlanRequestSchema.safeParse({ Job: { TaskGroups: [{ Count: 'two' }] } })),
  ).toBe(
    'json: cannot unmarshal string into Go struct field TaskGroup.Job.TaskGroups.Count of type int',
  );
  expect(firstError(JobPlanRequestSchema.safeParse(undefined))).toBe('Request body is empty');
});

test("an answer with Nomad's nulls reads as one", () => {
  const read = JobPlanResponseSchema.parse({
    Annotations: { DesiredTGUpdates: { web: { Place: 2 } }, PreemptedAllocs: null },
    FailedTGAllocs: null,
    JobModifyIndex: 0,
    CreatedEvals: null,
    Diff: null,
    NextPeriodicLaunch: '0001-01-01T00:00:00Z',
    Warnings: '',
    Index: 0,
  });
  expect(read.Annotations?.DesiredTGUpdates?.web).toMatchObject({ Place: 2, Ignore: 0 });
  expect(read.NextPeriodicLaunch).toBe('0001-01-01T00:00:00Z');
});
