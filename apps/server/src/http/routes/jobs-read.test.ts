import type { Allocation, Job } from '@berth/contract';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { seed, startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockAlloc, mockEval } from '../../test-support/mock.js';
import { failure } from '../../test-support/api-failure.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
  await server.store.write((tx) =>
    tx.upsertNamespace({
      Name: 'prod',
      Description: '',
      Quota: '',
      Meta: null,
      CreateIndex: tx.index,
      ModifyIndex: tx.index,
    }),
  );
});
afterEach(() => server.close());

const job = (id: string, over: Record<string, unknown> = {}) => ({
  ID: id,
  Datacenters: ['dc1'],
  TaskGroups: [
    { Name: 'web', Count: 3, Tasks: [{ Name: 'web', Driver: 'raw_exec' }] },
    { Name: 'db', Tasks: [{ Name: 'db', Driver: 'raw_exec' }] },
  ],
  ...over,
});

async function register(id: string, over: Record<string, unknown> = {}) {
  return (await server.client.jobs.register(job(id, over))).data;
}

const stored = (id: string, namespace = 'default'): Job => server.store.jobByID(namespace, id)!;

describe('GET /v1/jobs', () => {
  test('stubs ordered by ID, with a summary per group', async () => {
    await register('web-b');
    await register('web-a', { Meta: { team: 'x' } });
    const { data, meta } = await server.client.jobs.list();
    expect(data.map((s) => s.ID)).toEqual(['web-a', 'web-b']);
    expect(meta.lastIndex).toBe(server.store.latestIndex());
    expect(data[0]).toMatchObject({
      ID: 'web-a',
      Name: 'web-a',
      Namespace: 'default',
      Type: 'service',
      Priority: 50,
      Status: 'pending',
      Stop: false,
      Periodic: false,
      ParameterizedJob: false,
      Datacenters: ['dc1'],
      NodePool: 'default',
      Meta: null,
      JobSummary: {
        JobID: 'web-a',
        Namespace: 'default',
        Summary: {
          web: { Queued: 0, Starting: 0, Running: 0, Complete: 0, Failed: 0, Lost: 0, Unknown: 0 },
          db: { Queued: 0, Starting: 0, Running: 0, Complete: 0, Failed: 0, Lost: 0, Unknown: 0 },
        },
      },
    });
    const withMeta = await server.client.jobs.list({ meta: true });
    expect(withMeta.data[0]!.Meta).toEqual({ team: 'x' });
  });

  test('prefix, namespace and all namespaces', async () => {
    await register('api');
    await register('web-1');
    await register('web-2', { Namespace: 'prod' });
    expect((await server.client.jobs.list({ prefix: 'web' })).data.map((s) => s.ID)).toEqual([
      'web-1',
    ]);
    expect((await server.client.jobs.list({ namespace: 'prod' })).data.map((s) => s.ID)).toEqual([
      'web-2',
    ]);
    const all = await server.client.jobs.list({ namespace: '*', prefix: 'web' });
    expect(all.data.map((s) => `${s.Namespace}/${s.ID}`)).toEqual(['default/web-1', 'prod/web-2']);
  });

  test('pages with per_page and next_token', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) await register(id);
    const first = await server.client.jobs.list({ per_page: 2 });
    expect(first.data.map((s) => s.ID)).toEqual(['a', 'b']);
    expect(first.meta.nextToken).toBe('default.c');
    const second = await server.client.jobs.list({ per_page: 2, next_token: first.meta.nextToken });
    expect(second.data.map((s) => s.ID)).toEqual(['c', 'd']);
    const last = await server.client.jobs.list({ per_page: 2, next_token: second.meta.nextToken });
    expect(last.data.map((s) => s.ID)).toEqual(['e']);
    expect(last.meta.nextToken).toBe('');
  });

  test('filter expressions', async () => {
    await register('a', { Priority: 80 });
    await register('b');
    const { data } = await server.client.jobs.list({ filter: 'Priority == 80' });
    expect(data.map((s) => s.ID)).toEqual(['a']);
    const error = await failure(server.client.jobs.list({ filter: 'Priority ==' }));
    expect(error.status).toBe(400);
  });

  test('the summary counts allocations by client status; status follows them', async () => {
    await register('web');
    const current = stored('web');
    const alloc = (ClientStatus: Allocation['ClientStatus'], TaskGroup = 'web') =>
      mockAlloc({ Job: current, JobID: 'web', TaskGroup, ClientStatus });
    await seed(server.store, {
      allocs: [
        alloc('running'),
        alloc('running'),
        alloc('pending'),
        alloc('failed'),
        alloc('complete', 'db'),
      ],
      evals: [mockEval({ JobID: 'web', Status: 'complete', QueuedAllocations: { web: 1, db: 0 } })],
    });
    const [stub] = (await server.client.jobs.list()).data;
    expect(stub!.Status).toBe('running');
    expect(stub!.JobSummary!.Summary).toEqual({
      web: { Queued: 1, Starting: 1, Running: 2, Complete: 0, Failed: 1, Lost: 0, Unknown: 0 },
      db: { Queued: 0, Starting: 0, Running: 0, Complete: 1, Failed: 0, Lost: 0, Unknown: 0 },
    });
    const { data: read } = await server.client.jobs.info('web');
    expect(read.Status).toBe('running');
  });

  test('a blocking list returns after a job is registered', async () => {
    await register('a');
    const { meta } = await server.client.jobs.list();
    const waiting = server.client.jobs.list({ index: meta.lastIndex, wait: '10s' });
    const { data: written } = await server.client.jobs.register(job('b'));
    const { data, meta: after } = await waiting;
    expect(data.map((s) => s.ID)).toEqual(['a', 'b']);
    expect(after.lastIndex).toBeGreaterThanOrEqual(written.Index);
  });
});

describe('GET /v1/job/:id', () => {
  test('reads the job; 404 when it does not exist', async () => {
    const { Index } = await register('web');
    const { data, meta } = await server.client.jobs.info('web');
    expect(data).toMatchObject({ ID: 'web', Version: 0, Status: 'pending', JobModifyIndex: Index });
    expect(meta.lastIndex).toBe(Index);
    const error = await failure(server.client.jobs.info('nope'));
    expect(error.status).toBe(404);
    expect(error.message).toBe('job not found');
    const otherNamespace = await failure(server.client.jobs.info('web', { namespace: 'prod' }));
    expect(otherNamespace.status).toBe(404);
  });

  test('a job whose evaluations are done and allocations terminal is dead', async () => {
    const { EvalID } = await register('web');
    const evaluation = server.store.evalByID(EvalID)!;
    await server.store.write((tx) =>
      tx.upsertEval({ ...evaluation, Status: 'complete', ModifyIndex: tx.index }),
    );
    expect((await server.client.jobs.info('web')).data.Status).toBe('dead');
  });

  test('a blocking read returns once the job changes', async () => {
    const { Index } = await register('web');
    const waiting = server.client.jobs.info('web', { index: Index, wait: '10s' });
    const changed = await register('web', { Priority: 70 });
    const { data, meta } = await waiting;
    expect(data.Priority).toBe(70);
    expect(meta.lastIndex).toBe(changed.Index);
  });
});

describe('GET /v1/job/:id/allocations and /evaluations', () => {
  test("the job's allocations; all=true adds those of an earlier job with the same ID", async () => {
    await register('web');
    const old = stored('web');
    const oldAlloc = mockAlloc({
      Job: old,
      JobID: 'web',
      ClientStatus: 'complete',
      DesiredStatus: 'stop',
    });
    await seed(server.store, { allocs: [oldAlloc] });
    await server.client.jobs.deregister('web', { purge: true });
    await register('web');
    const current = stored('web');
    expect(current.Version).toBe(1); // version 0 still belongs to the old allocation
    const newAlloc = mockAlloc({ Job: current, JobID: 'web' });
    await seed(server.store, { allocs: [newAlloc] });

    const { data, meta } = await server.client.jobs.allocations('web');
    expect(data.map((a) => a.ID)).toEqual([newAlloc.ID]);
    expect(data[0]!.TaskStates).toBeDefined();
    expect(meta.lastIndex).toBe(server.store.tableIndex('allocs'));
    const all = await server.client.jobs.allocations('web', { all: true });
    expect(all.data.map((a) => a.ID).sort()).toEqual([newAlloc.ID, oldAlloc.ID].sort());
    expect((await server.client.jobs.allocations('nope')).data).toEqual([]);
  });

  test("the job's evaluations", async () => {
    const first = await register('web');
    const second = await register('web');
    await register('other');
    const { data, meta } = await server.client.jobs.evaluations('web');
    expect(data.map((e) => e.ID).sort()).toEqual([first.EvalID, second.EvalID].sort());
    expect(data.every((e) => e.TriggeredBy === 'job-register' && e.JobID === 'web')).toBe(true);
    expect(meta.lastIndex).toBe(server.store.tableIndex('evals'));
    expect((await server.client.jobs.evaluations('nope')).data).toEqual([]);
  });
});
