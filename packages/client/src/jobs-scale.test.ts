// What client.jobs.evaluate, scale and scaleStatus send and how they read the answers.
import { expect, test } from 'vitest';
import { createClient } from './index.js';
import { fakeFetch, json } from './test-support/fake-fetch.js';

const EVAL = '6f5e3b2a-1c4d-4e8f-9a0b-7c6d5e4f3a2b';
const registered = { EvalID: EVAL, EvalCreateIndex: 9, JobModifyIndex: 9, Warnings: '', Index: 9 };

test("evaluate POSTs the job ID and ForceReschedule, as Nomad's EvaluateWithOpts", async () => {
  const { fetch, sent } = fakeFetch(() => json(registered, { 'X-Nomad-Index': '9' }));
  const client = createClient({ address: 'http://h', namespace: 'web', fetch });
  const { data, meta } = await client.jobs.evaluate('a/b', { forceReschedule: true });
  const req = sent[0]!;
  expect(`${req.method} ${req.url.pathname}`).toBe('POST /v1/job/a%2Fb/evaluate');
  expect(Object.fromEntries(req.url.searchParams)).toEqual({ namespace: 'web' });
  expect(JSON.parse(req.body!)).toEqual({ JobID: 'a/b', EvalOptions: { ForceReschedule: true } });
  expect(data).toEqual(registered);
  expect(meta.lastIndex).toBe(9);
});

test('scale POSTs a ScalingRequest naming the group and the job', async () => {
  const { fetch, sent } = fakeFetch(() => json(registered, { 'X-Nomad-Index': '9' }));
  const client = createClient({ address: 'http://h', fetch });
  await client.jobs.scale('web', { group: 'cache', count: 4, message: 'busy', meta: { k: 1 } });
  await client.jobs.scale('web', { group: 'cache', error: true, message: 'no metrics' });
  expect(sent.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
    'POST /v1/job/web/scale',
    'POST /v1/job/web/scale',
  ]);
  expect(JSON.parse(sent[0]!.body!)).toEqual({
    Count: 4,
    Target: { Group: 'cache', Job: 'web' },
    Message: 'busy',
    Error: false,
    Meta: { k: 1 },
    PolicyOverride: false,
    JobModifyIndex: 0,
  });
  expect(JSON.parse(sent[1]!.body!)).toMatchObject({ Count: null, Error: true });
});

test('scaleStatus reads a JobScaleStatus, events included', async () => {
  const status = {
    JobID: 'web',
    Namespace: 'default',
    JobCreateIndex: 5,
    JobModifyIndex: 9,
    JobStopped: false,
    TaskGroups: {
      cache: {
        Desired: 4,
        Placed: 4,
        Running: 3,
        Healthy: 0,
        Unhealthy: 0,
        Events: [
          {
            Time: 1,
            Count: 4,
            PreviousCount: 2,
            Message: 'busy',
            Error: false,
            Meta: null,
            EvalID: EVAL,
            CreateIndex: 9,
          },
        ],
      },
    },
  };
  const { fetch, sent } = fakeFetch(() => json(status, { 'X-Nomad-Index': '9' }));
  const client = createClient({ address: 'http://h', fetch });
  const { data } = await client.jobs.scaleStatus('web', { index: 8 });
  expect(`${sent[0]!.method} ${sent[0]!.url.pathname}`).toBe('GET /v1/job/web/scale');
  expect(sent[0]!.url.searchParams.get('index')).toBe('8');
  expect(data).toEqual(status);
});
