import { expect, test } from 'vitest';
import { JobEvaluateRequestSchema } from './job-evaluate.js';

const error = (body: unknown) => {
  const result = JobEvaluateRequestSchema.safeParse(body);
  return result.success ? undefined : result.error.issues[0]?.message;
};

test('no body is undefined (the path names the job); null is the zero request, as Go decodes it', () => {
  expect(JobEvaluateRequestSchema.parse(undefined)).toBeUndefined();
  expect(JobEvaluateRequestSchema.parse(null)).toEqual({
    JobID: '',
    EvalOptions: { ForceReschedule: false },
  });
});

test('keys match case-insensitively, the last one wins, nulls and unknown keys are ignored', () => {
  expect(
    JobEvaluateRequestSchema.parse({
      jobid: 'a',
      JobID: 'web',
      evaloptions: { forcereschedule: true, Other: 1 },
      Namespace: 'default',
    }),
  ).toEqual({ JobID: 'web', EvalOptions: { ForceReschedule: true } });
  expect(JobEvaluateRequestSchema.parse({ JobID: 'web', EvalOptions: null })).toEqual({
    JobID: 'web',
    EvalOptions: { ForceReschedule: false },
  });
});

test("a value of the wrong kind fails with Go's text", () => {
  expect(error([])).toBe(
    'Failed to decode body: json: cannot unmarshal array into Go value of type structs.JobEvaluateRequest',
  );
  expect(error({ JobID: true })).toBe(
    'Failed to decode body: json: cannot unmarshal bool into Go struct field JobEvaluateRequest.JobID of type string',
  );
  expect(error({ EvalOptions: 'x' })).toBe(
    'Failed to decode body: json: cannot unmarshal string into Go struct field JobEvaluateRequest.EvalOptions of type structs.EvalOptions',
  );
  expect(error({ EvalOptions: { ForceReschedule: 1 } })).toBe(
    'Failed to decode body: json: cannot unmarshal number into Go struct field JobEvaluateRequest.EvalOptions.ForceReschedule of type bool',
  );
});
