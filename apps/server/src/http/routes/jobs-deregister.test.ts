import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { seed, startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockAlloc } from '../../test-support/mock.js';
import { failure } from '../../test-support/api-failure.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const job = (over: Record<string, unknown> = {}) => ({
  ID: 'web',
  Type: 'batch' as const,
  Priority: 40,
  TaskGroups: [{ Name: 'web', Tasks: [{ Name: 'web', Driver: 'raw_exec' }] }],
  ...over,
});

describe('DELETE /v1/job/:id', () => {
  test('stops the job as a new version and creates a job-deregister evaluation, in one write', async () => {
    await server.client.jobs.register(job());
    const { data, meta } = await server.client.jobs.deregister('web');
    expect(meta.lastIndex).toBe(data.Index);
    expect(data).toMatchObject({
      EvalCreateIndex: data.Index,
      JobModifyIndex: data.Index,
      VolumeEvalID: '',
    });
    const stopped = server.store.jobByID('default', 'web')!;
    expect(stopped).toMatchObject({ Stop: true, Version: 1, JobModifyIndex: data.Index });
    expect(server.store.jobVersions('default', 'web').map((j) => j.Version)).toEqual([1, 0]);
    expect(server.store.evalByID(data.EvalID)).toMatchObject({
      TriggeredBy: 'job-deregister',
      JobID: 'web',
      Type: 'batch' as const,
      Priority: 40,
      JobModifyIndex: data.Index,
      CreateIndex: data.Index,
    });
    const { data: read } = await server.client.jobs.info('web');
    expect(read.Stop).toBe(true);
  });

  test('stopping a stopped job makes no new version but another evaluation', async () => {
    await server.client.jobs.register(job());
    const first = await server.client.jobs.deregister('web');
    const again = await server.client.jobs.deregister('web');
    expect(again.data.EvalID).not.toBe(first.data.EvalID);
    expect(again.data.JobModifyIndex).toBe(first.data.JobModifyIndex);
    expect(server.store.jobByID('default', 'web')!.Version).toBe(1);
  });

  test('eval_priority sets the evaluation priority', async () => {
    await server.client.jobs.register(job());
    const { data } = await server.client.jobs.deregister('web', { evalPriority: 99 });
    expect(server.store.evalByID(data.EvalID)!.Priority).toBe(99);
  });

  test('purge deletes the job and the versions no allocation uses, and creates the evaluation', async () => {
    await server.client.jobs.register(job());
    const v0 = server.store.jobByID('default', 'web')!;
    await seed(server.store, { allocs: [mockAlloc({ Job: v0, JobID: 'web' })] });
    await server.client.jobs.register(job({ Priority: 60 }));
    await server.client.jobs.register(job({ Priority: 70 }));

    const { data } = await server.client.jobs.deregister('web', { purge: true });
    expect(server.store.jobByID('default', 'web')).toBeUndefined();
    // Version 0 stays while its allocation links to it.
    expect(server.store.jobVersions('default', 'web').map((j) => j.Version)).toEqual([0]);
    expect(server.store.evalByID(data.EvalID)).toMatchObject({
      TriggeredBy: 'job-deregister',
      JobID: 'web',
      CreateIndex: data.Index,
    });
    const error = await failure(server.client.jobs.info('web'));
    expect(error.status).toBe(404);
    expect((await server.client.jobs.list()).data).toEqual([]);
  });

  test('no_shutdown_delay marks the running allocations', async () => {
    await server.client.jobs.register(job());
    const current = server.store.jobByID('default', 'web')!;
    const running = mockAlloc({ Job: current, JobID: 'web', ClientStatus: 'running' });
    const done = mockAlloc({ Job: current, JobID: 'web', ClientStatus: 'complete' });
    await seed(server.store, { allocs: [running, done] });
    const { data } = await server.client.jobs.deregister('web', { noShutdownDelay: true });
    expect(server.store.allocByID(running.ID)!).toMatchObject({
      DesiredTransition: { NoShutdownDelay: true },
      ModifyIndex: data.Index,
    });
    expect(server.store.allocByID(done.ID)!.DesiredTransition.NoShutdownDelay).not.toBe(true);
  });

  test('404 when the job does not exist', async () => {
    const before = server.store.latestIndex();
    const error = await failure(server.client.jobs.deregister('nope'));
    expect(error.status).toBe(404);
    expect(error.message).toBe('job not found');
    expect(server.store.latestIndex()).toBe(before);
  });

  test('bad query values are 400s', async () => {
    await server.client.jobs.register(job());
    const purge = await server.inject({ method: 'DELETE', url: '/v1/job/web?purge=maybe' });
    expect(purge.statusCode).toBe(400);
    const priority = await server.inject({
      method: 'DELETE',
      url: '/v1/job/web?eval_priority=500',
    });
    expect(priority.statusCode).toBe(400);
    expect(priority.body).toBe('Eval priority must be between 1 and 100 inclusively');
    expect(server.store.jobByID('default', 'web')!.Stop).toBe(false);
  });
});
