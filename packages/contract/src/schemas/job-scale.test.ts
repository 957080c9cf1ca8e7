import { expect, test } from 'vitest';
import { parseJson } from '../go/json-text.js';
import { ScalingRequestSchema } from './job-scale.js';

const error = (body: unknown) => {
  const result = ScalingRequestSchema.safeParse(body);
  return result.success ? undefined : result.error.issues[0]?.message;
};

test('a scale body decodes as Go decodes it, absent fields as zero values', () => {
  expect(
    ScalingRequestSchema.parse({ count: 3, target: { Group: 'web' }, Meta: { a: [1] } }),
  ).toEqual({
    Count: 3,
    Target: { Group: 'web' },
    Message: '',
    Error: false,
    Meta: { a: [1] },
    PolicyOverride: false,
    JobModifyIndex: 0,
    Region: '',
    Namespace: '',
    SecretID: '',
  });
  expect(ScalingRequestSchema.parse({ Count: null }).Count).toBeNull();
});

test("no body, and values of the wrong kind or range, fail with Go's texts", () => {
  expect(error(undefined)).toBe('Request body is empty');
  expect(error([])).toBe('json: cannot unmarshal array into Go value of type api.ScalingRequest');
  expect(error({ Count: 'x' })).toBe(
    'json: cannot unmarshal string into Go struct field ScalingRequest.Count of type int64',
  );
  expect(error(parseJson('{"Count": 1.5}'))).toBe(
    'json: cannot unmarshal number 1.5 into Go struct field ScalingRequest.Count of type int64',
  );
  expect(error({ Target: { Group: 5 } })).toBe(
    'json: cannot unmarshal number into Go struct field ScalingRequest.Target of type string',
  );
  expect(error(parseJson('{"JobModifyIndex": -1}'))).toBe(
    'json: cannot unmarshal number -1 into Go struct field ScalingRequest.JobModifyIndex of type uint64',
  );
});
