// What client.jobs.parse sends and how it reads the parsed job and a refused jobspec.
import { expect, test } from 'vitest';
import { BerthApiError, createClient } from './index.js';
import { fakeFetch, json } from './test-support/fake-fetch.js';

test("parse PUTs a JobsParseRequest, as Nomad's ParseHCLOpts, and answers the job", async () => {
  const job = { ID: 'example', Name: 'example', TaskGroups: [{ Name: 'cache' }] };
  const { fetch, sent } = fakeFetch(() => json(job));
  const client = createClient({ address: 'http://h', namespace: 'web', fetch });
  const { data } = await client.jobs.parse('job "example" {}', {
    variables: 'image = "redis"',
    canonicalize: true,
  });
  const req = sent[0]!;
  expect(`${req.method} ${req.url.pathname}`).toBe('PUT /v1/jobs/parse');
  expect(Object.fromEntries(req.url.searchParams)).toEqual({ namespace: 'web' });
  expect(JSON.parse(req.body!)).toEqual({
    JobHCL: 'job "example" {}',
    Variables: 'image = "redis"',
    Canonicalize: true,
  });
  expect(data).toEqual(job);
});

test("a refused jobspec throws a BerthApiError with the server's text", async () => {
  const text = 'Failed to parse job: input.hcl:1,9-10: Unclosed configuration block; ...';
  const { fetch } = fakeFetch(
    () => new Response(text, { status: 400, headers: { 'Content-Type': 'text/plain' } }),
  );
  const client = createClient({ address: 'http://h', fetch });
  const error = await client.jobs.parse('job "x" {').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BerthApiError);
  expect((error as BerthApiError).status).toBe(400);
  expect((error as BerthApiError).message).toContain(text);
});
