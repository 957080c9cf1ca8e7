import { describe, expect, test } from 'vitest';
import { BerthApiError, createClient } from './index.js';
import { fakeFetch, json, text } from './test-support/fake-fetch.js';

const EVAL = '6f5e3b2a-1c4d-4e8f-9a0b-7c6d5e4f3a2b';

describe('jobs.register', () => {
  test('PUTs {"Job": ...} with the options beside it and answers the evaluation', async () => {
    const { fetch, sent } = fakeFetch(() =>
      json(
        {
          EvalID: EVAL,
          EvalCreateIndex: 12,
          JobModifyIndex: 12,
          Warnings: '',
          Index: 12,
          KnownLeader: false,
          LastContact: 0,
        },
        { 'X-Nomad-Index': '12' },
      ),
    );
    const client = createClient({ address: 'http://h', token: 'secret', namespace: 'web', fetch });
    const job = {
      ID: 'example',
      TaskGroups: [{ Name: 'cache', Tasks: [{ Name: 'redis', Driver: 'raw_exec' }] }],
    };
    const { data, meta } = await client.jobs.register(job, {
      enforceIndex: true,
      jobModifyIndex: 0,
    });

    const req = sent[0]!;
    expect(`${req.method} ${req.url.pathname}`).toBe('PUT /v1/jobs');
    expect(Object.fromEntries(req.url.searchParams)).toEqual({ namespace: 'web' });
    expect(req.headers.get('X-Nomad-Token')).toBe('secret');
    expect(req.headers.get('Content-Type')).toBe('application/json');
    expect(JSON.parse(req.body!)).toEqual({ Job: job, EnforceIndex: true, JobModifyIndex: 0 });
    expect(data).toEqual({
      EvalID: EVAL,
      EvalCreateIndex: 12,
      JobModifyIndex: 12,
      Warnings: '',
      Index: 12,
    });
    expect(meta.lastIndex).toBe(12);
  });

  test('a job read back with info() can be registered again (nulls included)', async () => {
    const stored = {
      ID: 'example',
      Name: 'example',
      Type: 'batch',
      TaskGroups: [{ Name: 'g', Count: 2 }],
    };
    const { fetch, sent } = fakeFetch((req) =>
      req.method === 'GET'
        ? json(stored)
        : json({ EvalID: EVAL, EvalCreateIndex: 3, JobModifyIndex: 3, Index: 3 }),
    );
    const client = createClient({ address: 'http://h', fetch });
    const { data: job } = await client.jobs.info('example');
    expect(job).toMatchObject({
      ID: 'example',
      Priority: 50,
      Update: null,
      TaskGroups: [{ Name: 'g', Count: 2, Tasks: null }],
    });
    await client.jobs.register({ ...job, Priority: 70 });
    expect(JSON.parse(sent[1]!.body!)).toMatchObject({
      Job: { ID: 'example', Priority: 70, Update: null },
    });
  });

  test('an invalid job is a 400 BerthApiError with every problem in its message', async () => {
    const problems = '2 errors occurred:\n\t* Missing job ID\n\t* Missing job task groups\n\n';
    const { fetch } = fakeFetch(() => text(400, problems));
    const err: unknown = await createClient({ address: 'http://h', fetch })
      .jobs.register({})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BerthApiError);
    expect(err).toMatchObject({ status: 400, message: problems, method: 'PUT', path: '/v1/jobs' });
  });
});

describe('jobs reads and deregister', () => {
  test('list sends prefix, namespace and meta; stubs get zero values', async () => {
    const { fetch, sent } = fakeFetch(() =>
      json([{ ID: 'example', Type: 'service', Status: 'running' }], { 'X-Nomad-Index': '20' }),
    );
    const client = createClient({ address: 'http://h', fetch });
    const { data, meta } = await client.jobs.list({ prefix: 'ex', namespace: '*', meta: true });
    expect(sent[0]!.url.pathname).toBe('/v1/jobs');
    expect(Object.fromEntries(sent[0]!.url.searchParams)).toEqual({
      prefix: 'ex',
      namespace: '*',
      meta: 'true',
    });
    expect(data).toEqual([
      expect.objectContaining({
        ID: 'example',
        JobSummary: null,
        Meta: null,
        Datacenters: null,
        Priority: 0,
      }),
    ]);
    expect(meta.lastIndex).toBe(20);
  });

  test('info blocks with index and wait, and encodes the ID', async () => {
    const { fetch, sent } = fakeFetch(() => json({ ID: 'a/b' }));
    const client = createClient({ address: 'http://h', fetch });
    await client.jobs.info('a/b', { index: 5, wait: '10s' });
    expect(sent[0]!.url.pathname).toBe('/v1/job/a%2Fb');
    expect(Object.fromEntries(sent[0]!.url.searchParams)).toEqual({ index: '5', wait: '10s' });
  });

  test('deregister sends its options as query parameters and no body', async () => {
    const { fetch, sent } = fakeFetch(() =>
      json({ EvalID: EVAL, EvalCreateIndex: 30, JobModifyIndex: 30, Index: 30 }),
    );
    const client = createClient({ address: 'http://h', fetch });
    const { data } = await client.jobs.deregister('example', { purge: true, evalPriority: 80 });
    expect(`${sent[0]!.method} ${sent[0]!.url.pathname}`).toBe('DELETE /v1/job/example');
    expect(Object.fromEntries(sent[0]!.url.searchParams)).toEqual({
      purge: 'true',
      eval_priority: '80',
    });
    expect(sent[0]!.body).toBeUndefined();
    expect(data).toEqual({
      EvalID: EVAL,
      EvalCreateIndex: 30,
      JobModifyIndex: 30,
      VolumeEvalID: '',
      VolumeEvalIndex: 0,
      Index: 30,
    });
  });

  test("a job's allocations and evaluations", async () => {
    const { fetch, sent } = fakeFetch((req) =>
      req.url.pathname.endsWith('/allocations')
        ? json([{ ID: 'a1', JobID: 'example', DesiredStatus: 'run', ClientStatus: 'pending' }])
        : json([{ ID: EVAL, Status: 'complete', JobID: 'example', TriggeredBy: 'job-register' }]),
    );
    const client = createClient({ address: 'http://h', fetch });
    const allocs = await client.jobs.allocations('example', { all: true });
    const evals = await client.jobs.evaluations('example');
    expect(sent.map((r) => `${r.method} ${r.url.pathname}${r.url.search}`)).toEqual([
      'GET /v1/job/example/allocations?all=true',
      'GET /v1/job/example/evaluations',
    ]);
    expect(allocs.data[0]).toMatchObject({ ID: 'a1', NodeID: '', TaskStates: null });
    expect(evals.data[0]).toMatchObject({
      ID: EVAL,
      Status: 'complete',
      FailedTGAllocs: null,
      BlockedEval: '',
    });
  });

  test('a missing job is a 404 BerthApiError', async () => {
    const { fetch } = fakeFetch(() => text(404, 'job not found'));
    await expect(
      createClient({ address: 'http://h', fetch }).jobs.info('nope'),
    ).rejects.toMatchObject({
      name: 'BerthApiError',
      status: 404,
      message: 'job not found',
      path: '/v1/job/nope',
    });
  });
});
