import { multiError, type Job } from '@berth/contract';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/harness.js';
import { failure } from '../../test-support/api-failure.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

/** A job as a user writes it: everything else is Nomad's defaults. */
const redis = (over: Partial<Record<keyof Job, unknown>> = {}) => ({
  ID: 'cache',
  Datacenters: ['dc1'],
  TaskGroups: [
    {
      Name: 'cache',
      Count: 2,
      Tasks: [{ Name: 'redis', Driver: 'raw_exec', Config: { command: '/bin/sleep' } }],
    },
  ],
  ...over,
});

/** The error a call fails with. */

describe('PUT|POST /v1/jobs', () => {
  test('stores the canonical job and a pending job-register evaluation in one write', async () => {
    const { data, meta } = await server.client.jobs.register(redis());
    expect(data.Index).toBeGreaterThan(0);
    expect(meta.lastIndex).toBe(data.Index);
    expect(data).toMatchObject({
      EvalCreateIndex: data.Index,
      JobModifyIndex: data.Index,
      Warnings: '',
    });

    const job = server.store.jobByID('default', 'cache')!;
    expect(job).toMatchObject({
      Name: 'cache',
      Region: 'global',
      Type: 'service',
      Priority: 50,
      NodePool: 'default',
      Status: 'pending',
      Version: 0,
      Stop: false,
      CreateIndex: data.Index,
      ModifyIndex: data.Index,
      JobModifyIndex: data.Index,
    });
    expect(job.SubmitTime).toBeGreaterThan(0);
    expect(job.TaskGroups![0]!.Tasks![0]!.Resources).toMatchObject({ CPU: 100, MemoryMB: 300 });

    const evaluation = server.store.evalByID(data.EvalID)!;
    expect(evaluation).toMatchObject({
      Namespace: 'default',
      Priority: 50,
      Type: 'service',
      TriggeredBy: 'job-register',
      JobID: 'cache',
      JobModifyIndex: data.Index,
      CreateIndex: data.Index,
    });
    // Created pending; a running scheduler may already have moved it on.
    expect(server.store.tableIndex('evals')).toBe(data.Index);
    expect(server.store.tableIndex('jobs')).toBe(data.Index);
  });

  test('the job reads back with every default filled', async () => {
    await server.client.jobs.register(redis({ Type: 'batch' }));
    const { data: job } = await server.client.jobs.info('cache');
    const group = job.TaskGroups![0]!;
    expect(group.Count).toBe(2);
    expect(group.RestartPolicy).toMatchObject({ Attempts: 3, Mode: 'fail' });
    expect(group.ReschedulePolicy).toMatchObject({ Attempts: 1, DelayFunction: 'constant' });
    expect(group.EphemeralDisk).toMatchObject({ SizeMB: 300 });
    expect(group.Tasks![0]!).toMatchObject({
      KillTimeout: 5_000_000_000,
      LogConfig: { MaxFiles: 10, MaxFileSizeMB: 10 },
    });
  });

  test('POST works like PUT', async () => {
    const res = await server.inject({
      method: 'POST',
      url: '/v1/jobs',
      payload: { Job: redis() },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-nomad-index']).toBe(
      String((JSON.parse(res.body) as { Index: number }).Index),
    );
  });

  test('an identical job makes no new version but a new evaluation', async () => {
    const first = await server.client.jobs.register(redis());
    const again = await server.client.jobs.register(redis());
    expect(again.data.EvalID).not.toBe(first.data.EvalID);
    expect(again.data.Index).toBeGreaterThan(first.data.Index);
    expect(again.data.JobModifyIndex).toBe(first.data.JobModifyIndex);
    expect(again.data.EvalCreateIndex).toBe(again.data.Index);
    const job = server.store.jobByID('default', 'cache')!;
    expect(job.Version).toBe(0);
    expect(job.ModifyIndex).toBe(first.data.Index);
    expect(server.store.jobVersions('default', 'cache')).toHaveLength(1);
    expect(server.store.evalByID(again.data.EvalID)!.JobModifyIndex).toBe(
      first.data.JobModifyIndex,
    );
  });

  test('a job read back and registered again is identical', async () => {
    await server.client.jobs.register(redis());
    const { data: job } = await server.client.jobs.info('cache');
    await server.client.jobs.register(job);
    expect(server.store.jobByID('default', 'cache')!.Version).toBe(0);
  });

  test('a changed job gets the next version; older versions stay', async () => {
    const first = await server.client.jobs.register(redis());
    const changed = redis();
    changed.TaskGroups[0]!.Count = 5;
    const second = await server.client.jobs.register(changed);
    expect(second.data.JobModifyIndex).toBe(second.data.Index);
    const job = server.store.jobByID('default', 'cache')!;
    expect(job).toMatchObject({
      Version: 1,
      CreateIndex: first.data.Index,
      JobModifyIndex: second.data.Index,
    });
    expect(job.TaskGroups![0]!.Count).toBe(5);
    expect(server.store.jobVersions('default', 'cache').map((j) => j.Version)).toEqual([1, 0]);
    expect(server.store.evalByID(second.data.EvalID)!.JobModifyIndex).toBe(second.data.Index);
  });

  test('PreserveCounts keeps the counts of existing groups', async () => {
    await server.client.jobs.register(redis());
    const changed = redis({ Meta: { owner: 'ops' } });
    changed.TaskGroups[0]!.Count = 9;
    await server.client.jobs.register(changed, { preserveCounts: true });
    const job = server.store.jobByID('default', 'cache')!;
    expect(job.Version).toBe(1);
    expect(job.TaskGroups![0]!.Count).toBe(2);
  });

  test('EvalPriority sets the evaluation priority; out of range is a 400', async () => {
    const { data } = await server.client.jobs.register(redis(), { evalPriority: 90 });
    expect(server.store.evalByID(data.EvalID)!.Priority).toBe(90);
    const error = await failure(server.client.jobs.register(redis(), { evalPriority: 101 }));
    expect(error.status).toBe(400);
    expect(error.message).toBe('Eval priority must be between 1 and 100 inclusively');
  });

  describe('EnforceIndex', () => {
    test('0 registers only a new job', async () => {
      const { data } = await server.client.jobs.register(redis(), {
        enforceIndex: true,
        jobModifyIndex: 0,
      });
      expect(data.EvalID).not.toBe('');
      const error = await failure(
        server.client.jobs.register(redis(), { enforceIndex: true, jobModifyIndex: 0 }),
      );
      expect(error.status).toBe(409);
      expect(error.message).toBe('Enforcing job modify index 0: job already exists');
    });

    test('the current JobModifyIndex registers; another one conflicts and changes nothing', async () => {
      const first = await server.client.jobs.register(redis());
      const changed = redis({ Priority: 60 });
      const error = await failure(
        server.client.jobs.register(changed, {
          enforceIndex: true,
          jobModifyIndex: first.data.JobModifyIndex + 7,
        }),
      );
      expect(error.status).toBe(409);
      expect(error.message).toBe(
        `Enforcing job modify index ${first.data.JobModifyIndex + 7}: job exists with conflicting job modify index: ${first.data.JobModifyIndex}`,
      );
      expect(server.store.jobByID('default', 'cache')!.Priority).toBe(50);
      expect(server.store.latestIndex()).toBe(first.data.Index);

      const ok = await server.client.jobs.register(changed, {
        enforceIndex: true,
        jobModifyIndex: first.data.JobModifyIndex,
      });
      expect(server.store.jobByID('default', 'cache')!).toMatchObject({ Priority: 60, Version: 1 });
      expect(ok.data.JobModifyIndex).toBe(ok.data.Index);
    });

    test('an index for a job that does not exist conflicts', async () => {
      const error = await failure(
        server.client.jobs.register(redis(), { enforceIndex: true, jobModifyIndex: 5 }),
      );
      expect(error.status).toBe(409);
      expect(error.message).toBe('Enforcing job modify index 5: job does not exist');
    });
  });

  describe('namespaces', () => {
    test("the job's own namespace is used when the request names none", async () => {
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
      const { data } = await server.client.jobs.register(redis({ Namespace: 'prod' }));
      expect(server.store.jobByID('prod', 'cache')).toBeDefined();
      expect(server.store.evalByID(data.EvalID)!.Namespace).toBe('prod');
    });

    test('a query namespace overrides the job’s', async () => {
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
      await server.client.jobs.register(redis({ Namespace: 'default' }), {}, { namespace: 'prod' });
      expect(server.store.jobByID('prod', 'cache')!.Namespace).toBe('prod');
      expect(server.store.jobByID('default', 'cache')).toBeUndefined();
    });

    test('a namespace that does not exist is a 400', async () => {
      const error = await failure(server.client.jobs.register(redis({ Namespace: 'nowhere' })));
      expect(error.status).toBe(400);
      expect(error.message).toBe(multiError(['job "cache" is in nonexistent namespace "nowhere"']));
    });
  });

  describe('validation', () => {
    test('a job with several problems gets a 400 naming each of them, and nothing is written', async () => {
      const before = server.store.latestIndex();
      const error = await failure(
        server.client.jobs.register({
          ID: 'bad job',
          Priority: 200,
          TaskGroups: [
            {
              Name: 'web',
              Count: -1,
              Tasks: [
                { Name: 'server', Driver: 'dockr', KillTimeout: -1 },
                { Name: 'server', Driver: 'raw_exec' },
              ],
            },
            { Name: 'web', Tasks: [] },
          ],
        }),
      );
      expect(error.status).toBe(400);
      const text = error.message;
      expect(text).toMatch(/^5 errors occurred:\n/);
      expect(text).toContain('\t* Job ID contains a space\n');
      expect(text).toContain("\t* Job task group 2 redefines 'web' from group 1\n");
      expect(text).toContain("\t* Task group count can't be negative\n");
      expect(text).toContain("\t* Task 2 redefines 'server' from task 1\n");
      expect(text).toContain('\t* Unknown task driver "dockr"');
      expect(text).toContain('\t* KillTimeout must be a positive value\n');
      expect(text).toContain('\t* Missing tasks for task group\n');
      expect(text).toContain('\t* job priority must be between [1, 100]\n');
      expect(server.store.latestIndex()).toBe(before);
    });

    test('a job without ID or task groups', async () => {
      const error = await failure(server.client.jobs.register({ Datacenters: ['dc1'] }));
      expect(error.status).toBe(400);
      expect(error.message).toBe(
        multiError(['Missing job ID', 'Missing job name', 'Missing job task groups']),
      );
    });

    test('bad durations in the restart and reschedule policies', async () => {
      const job = redis();
      Object.assign(job.TaskGroups[0]!, {
        RestartPolicy: {
          Attempts: 3,
          Interval: 10_000_000_000,
          Delay: 5_000_000_000,
          Mode: 'retry',
        },
        ReschedulePolicy: {
          Delay: 10_000_000_000,
          MaxDelay: 1_000_000_000,
          DelayFunction: 'linear',
        },
      });
      const error = await failure(server.client.jobs.register(job));
      expect(error.status).toBe(400);
      expect(error.message).toContain('Unsupported restart mode: "retry"');
      expect(error.message).toContain(
        "Nomad can't restart the TaskGroup 3 times in an interval of 10s with a delay of 5s",
      );
      expect(error.message).toContain('Invalid delay function "linear"');
    });

    test('no body, no job, and a value of the wrong kind', async () => {
      const empty = await server.inject({ method: 'PUT', url: '/v1/jobs' });
      expect(empty.statusCode).toBe(400);
      const noJob = await server.inject({ method: 'PUT', url: '/v1/jobs', payload: {} });
      expect(noJob.statusCode).toBe(400);
      expect(noJob.body).toBe('Job must be specified');
      const wrongKind = await server.inject({
        method: 'PUT',
        url: '/v1/jobs',
        payload: { Job: { ID: 'x', TaskGroups: [{ Name: 'g', Count: 'two' }] } },
      });
      expect(wrongKind.statusCode).toBe(400);
      expect(wrongKind.body).toContain('json: cannot unmarshal string');
    });
  });
});

describe('PUT|POST /v1/job/:id', () => {
  test('registers the job named by the path', async () => {
    const res = await server.inject({
      method: 'POST',
      url: '/v1/job/cache',
      payload: { Job: redis() },
    });
    expect(res.statusCode).toBe(200);
    expect(server.store.jobByID('default', 'cache')).toBeDefined();
    const put = await server.inject({
      method: 'PUT',
      url: '/v1/job/cache',
      payload: { Job: redis({ Priority: 70 }) },
    });
    expect(put.statusCode).toBe(200);
    expect(server.store.jobByID('default', 'cache')!.Version).toBe(1);
  });

  test('the path ID must match the job’s', async () => {
    const mismatch = await server.inject({
      method: 'POST',
      url: '/v1/job/other',
      payload: { Job: redis() },
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toBe('Job ID does not match name');
    const missing = await server.inject({
      method: 'POST',
      url: '/v1/job/cache',
      payload: { Job: { ...redis(), ID: undefined } },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toBe("Job ID hasn't been provided");
  });
});
