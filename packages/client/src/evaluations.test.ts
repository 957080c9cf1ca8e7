import { expect, test } from 'vitest';
import { createClient } from './index.js';
import { fakeFetch, json, text } from './test-support/fake-fetch.js';

const EVAL = '6f5e3b2a-1c4d-4e8f-9a0b-7c6d5e4f3a2b';

const blocked = {
  ID: EVAL,
  Namespace: 'default',
  Priority: 50,
  Type: 'service',
  TriggeredBy: 'job-register',
  JobID: 'example',
  Status: 'complete',
  BlockedEval: 'b1',
  FailedTGAllocs: {
    cache: { NodesEvaluated: 3, NodesExhausted: 3, DimensionExhausted: { memory: 3 } },
  },
  QueuedAllocations: { cache: 1 },
  CreateIndex: 40,
  ModifyIndex: 41,
};

test('list filters by job and status; evaluations keep their placement failures', async () => {
  const { fetch, sent } = fakeFetch(() => json([blocked], { 'X-Nomad-Index': '41' }));
  const client = createClient({ address: 'http://h', fetch });
  const { data, meta } = await client.evaluations.list({ job: 'example', status: 'complete' });
  expect(sent[0]!.url.pathname).toBe('/v1/evaluations');
  expect(Object.fromEntries(sent[0]!.url.searchParams)).toEqual({
    job: 'example',
    status: 'complete',
  });
  expect(data[0]).toMatchObject({ BlockedEval: 'b1', QueuedAllocations: { cache: 1 } });
  expect(data[0]?.FailedTGAllocs?.['cache']).toMatchObject({
    NodesExhausted: 3,
    DimensionExhausted: { memory: 3 },
  });
  expect(meta.lastIndex).toBe(41);
});

test('info and allocations of one evaluation', async () => {
  const { fetch, sent } = fakeFetch((req) =>
    req.url.pathname.endsWith('/allocations') ? json([]) : json(blocked),
  );
  const client = createClient({ address: 'http://h', fetch });
  const { data } = await client.evaluations.info(EVAL, { related: true });
  const allocs = await client.evaluations.allocations(EVAL);
  expect(sent.map((r) => `${r.url.pathname}${r.url.search}`)).toEqual([
    `/v1/evaluation/${EVAL}?related=true`,
    `/v1/evaluation/${EVAL}/allocations`,
  ]);
  expect(data.ID).toBe(EVAL);
  expect(allocs.data).toEqual([]);
});

test('a missing evaluation is a 404 BerthApiError', async () => {
  const { fetch } = fakeFetch(() => text(404, 'eval not found'));
  await expect(
    createClient({ address: 'http://h', fetch }).evaluations.info(EVAL),
  ).rejects.toMatchObject({
    status: 404,
    message: 'eval not found',
  });
});
