// The parse body as Go's encoding/json decodes Nomad's api.JobsParseRequest.
import { expect, test } from 'vitest';
import { JobsParseRequestSchema } from './job-parse.js';

const decode = (body: unknown) => JobsParseRequestSchema.safeParse(body);

test('keys match case-insensitively; null and unknown keys are ignored', () => {
  expect(
    decode({ jobhcl: 'job "x" {}', Variables: null, CANONICALIZE: true, Extra: 1 }).data,
  ).toEqual({ JobHCL: 'job "x" {}', Variables: '', Canonicalize: true, HCLv1: false });
  expect(decode(null).data).toEqual({
    JobHCL: '',
    Variables: '',
    Canonicalize: false,
    HCLv1: false,
  });
});

test("wrong kinds and no body fail with Go's texts", () => {
  expect(decode(undefined).error?.issues[0]?.message).toBe('Request body is empty');
  expect(decode([]).error?.issues[0]?.message).toBe(
    'json: cannot unmarshal array into Go value of type api.JobsParseRequest',
  );
  expect(decode({ Canonicalize: 'yes' }).error?.issues[0]?.message).toBe(
    'json: cannot unmarshal string into Go struct field JobsParseRequest.Canonicalize of type bool',
  );
});
