// GET /v1/job/:id/versions through the client: versions newest first, diffs naming what each
// register changed, the chosen-version diff, Nomad's texts for what is missing or malformed,
// and a blocking read that wakes on a new version.
import { createClient } from '@berth/client';
import type { Job } from '@berth/contract';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { failure } from '../../test-support/api-failure.js';
import { startTestServer, type TestServer } from '../../test-support/harness.js';

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const job = (overrides: { Priority?: number; args?: string[]; count?: number; meta?: object }) => ({
  ID: 'web',
  Datacenters: ['dc1'],
  Priority: overrides.Priority ?? 50,
  Meta: { team: 'a', ...overrides.meta },
  TaskGroups: [
    {
      Name: 'front',
      Count: overrides.count ?? 1,
      Tasks: [
        {
          Name: 'server',
          Driver: 'raw_exec',
          Config: { command: '/bin/sleep', args: overrides.args ?? ['60'] },
          Resources: { CPU: 100, MemoryMB: 64 },
        },
      ],
    },
  ],
});

/** Registers the three versions the tests read: 0, then priority, then count, args and meta. */
async function registerThree() {
  await server.client.jobs.register(job({}));
  await server.client.jobs.register(job({ Priority: 70 }));
  await server.client.jobs.register(
    job({ Priority: 70, count: 3, args: ['120'], meta: { team: 'b', tier: 'web' } }),
  );
}

const changedFields = (fields: { Type: string; Name: string }[] | null) =>
  (fields ?? []).filter((f) => f.Type !== 'None').map((f) => f.Name);

describe('GET /v1/job/:id/versions', () => {
  test('answers the versions newest first, without diffs unless asked', async () => {
    await registerThree();
    const { data, meta } = await server.client.jobs.versions('web');
    expect(data.Versions.map((v: Job) => v.Version)).toEqual([2, 1, 0]);
    expect(data.Diffs).toBeNull();
    expect(meta.lastIndex).toBe(data.Versions[0]!.ModifyIndex);
    expect(data.Index).toBe(meta.lastIndex);
    expect(data.KnownLeader).toBe(true);
  });

  test('diffs each version against the next older one, naming the changed fields', async () => {
    await registerThree();
    const { data } = await server.client.jobs.versions('web', { diffs: true });
    expect(data.Diffs).toHaveLength(2);
    const [latest, first] = data.Diffs!;

    // Version 1 changed only the priority: no group changed.
    expect(first!.Type).toBe('Edited');
    expect(first!.ID).toBe('web');
    expect(first!.Fields).toEqual([
      { Type: 'Edited', Name: 'Priority', Old: '50', New: '70', Annotations: null },
    ]);
    expect(first!.TaskGroups!.map((g) => [g.Name, g.Type])).toEqual([['front', 'None']]);

    // Version 2: meta edited and added on the job, count on the group, args in the driver config.
    expect(changedFields(latest!.Fields)).toEqual(['Meta[team]', 'Meta[tier]']);
    const [group] = latest!.TaskGroups!;
    expect(group!.Type).toBe('Edited');
    expect(group!.Fields).toEqual([
      { Type: 'Edited', Name: 'Count', Old: '1', New: '3', Annotations: null },
    ]);
    const [task] = group!.Tasks!;
    expect(task!.Name).toBe('server');
    expect(task!.Type).toBe('Edited');
    // Contextual: the unchanged `command` is listed too, as `None`.
    expect(task!.Objects).toEqual([
      {
        Type: 'Edited',
        Name: 'Config',
        Fields: [
          { Type: 'Edited', Name: 'args[0]', Old: '60', New: '120', Annotations: null },
          {
            Type: 'None',
            Name: 'command',
            Old: '/bin/sleep',
            New: '/bin/sleep',
            Annotations: null,
          },
        ],
        Objects: null,
      },
    ]);
  });

  test('diff_version compares every version with the chosen one, itself included', async () => {
    await registerThree();
    const { data } = await server.client.jobs.versions('web', { diffs: true, diff_version: 0 });
    expect(data.Diffs!.map((d) => d.Type)).toEqual(['Edited', 'Edited', 'None']);
    expect(changedFields(data.Diffs![0]!.Fields)).toEqual(['Meta[team]', 'Meta[tier]', 'Priority']);
    // Without diffs the chosen version is not even looked up.
    const plain = await server.client.jobs.versions('web', { diff_version: 9 });
    expect(plain.data.Diffs).toBeNull();
  });

  test("a missing job, version or tag is a 404 with Nomad's text", async () => {
    const missing = await failure(server.client.jobs.versions('nope', { diffs: true }));
    expect([missing.status, missing.message]).toEqual([404, 'job versions not found']);
    await registerThree();
    const version = await failure(
      server.client.jobs.versions('web', { diffs: true, diff_version: 7 }),
    );
    expect([version.status, version.message]).toEqual([404, 'version 7 not found']);
    const tag = await failure(server.client.jobs.versions('web', { diffs: true, diff_tag: 'v1' }));
    expect([tag.status, tag.message]).toEqual([404, 'tag "v1" not found']);
  });

  test("malformed diffs and diff_version are a 400 with Nomad's texts", async () => {
    await registerThree();
    const diffs = await server.inject({ method: 'GET', url: '/v1/job/web/versions?diffs=yes' });
    expect([diffs.statusCode, diffs.body]).toEqual([
      400,
      'Failed to parse value of "diffs" (yes) as a bool: strconv.ParseBool: parsing "yes": invalid syntax',
    ]);
    const version = await server.inject({
      method: 'GET',
      url: '/v1/job/web/versions?diffs=true&diff_version=-1',
    });
    expect([version.statusCode, version.body]).toEqual([
      400,
      'Failed to parse value of "diff_version" (-1) as a uint64: strconv.ParseUint: parsing "-1": invalid syntax',
    ]);
    const huge = await server.inject({
      method: 'GET',
      url: '/v1/job/web/versions?diffs=1&diff_version=18446744073709551616',
    });
    expect(huge.statusCode).toBe(400);
    expect(huge.body).toContain('value out of range');
  });

  test('answers at most the 6 newest versions, as Nomad keeps', async () => {
    for (let p = 1; p <= 8; p++) await server.client.jobs.register(job({ Priority: 10 * p }));
    const { data } = await server.client.jobs.versions('web', { diffs: true });
    expect(data.Versions.map((v: Job) => v.Version)).toEqual([7, 6, 5, 4, 3, 2]);
    expect(data.Diffs).toHaveLength(5);
  });

  test('a job purged and registered again shows only its new versions', async () => {
    await server.client.jobs.register(job({}));
    // A purge that leaves version 0 behind, as it does while allocations still run it.
    await server.store.write((tx) => tx.deleteJob('default', 'web'));
    const gone = await failure(server.client.jobs.versions('web'));
    expect([gone.status, gone.message]).toEqual([404, 'job versions not found']);
    await server.client.jobs.register(job({ Priority: 60 }));
    await server.client.jobs.register(job({ Priority: 70 }));
    const { data } = await server.client.jobs.versions('web', { diffs: true });
    // Version numbers continue past the one left behind, which is not this job's history.
    expect(data.Versions.map((v: Job) => v.Version)).toEqual([2, 1]);
    expect(data.Diffs).toHaveLength(1);
    expect(data.Diffs![0]!.Fields).toEqual([
      { Type: 'Edited', Name: 'Priority', Old: '60', New: '70', Annotations: null },
    ]);
  });

  test('a blocking read returns when a new version is registered', async () => {
    await server.client.jobs.register(job({}));
    const { meta } = await server.client.jobs.versions('web');
    const started = Date.now();
    const blocked = server.client.jobs.versions('web', {
      diffs: true,
      index: meta.lastIndex,
      wait: '10s',
    });
    setTimeout(() => void server.client.jobs.register(job({ Priority: 90 })), 50);
    const { data } = await blocked;
    expect(Date.now() - started).toBeLessThan(9000);
    expect(data.Versions.map((v: Job) => v.Version)).toEqual([1, 0]);
    expect(changedFields(data.Diffs![0]!.Fields)).toEqual(['Priority']);
  });

  test('a blocking read of a job not yet registered returns when it is', async () => {
    // Another job first, so the versions table has an index to wait past (0 never blocks).
    await server.client.jobs.register({ ...job({}), ID: 'other' });
    const missing = await server.inject({ method: 'GET', url: '/v1/job/web/versions' });
    expect(missing.statusCode).toBe(404);
    const index = Number(missing.headers['x-nomad-index']);
    const blocked = server.inject({
      method: 'GET',
      url: `/v1/job/web/versions?index=${index}&wait=10s`,
    });
    setTimeout(() => void server.client.jobs.register(job({})), 50);
    const res = await blocked;
    expect(res.statusCode).toBe(200);
    expect((JSON.parse(res.body) as { Versions: Job[] }).Versions[0]?.ID).toBe('web');
    expect(Number(res.headers['x-nomad-index'])).toBeGreaterThan(index);
  });

  test('over a real loopback port, as any Nomad client reads it', async () => {
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const address = server.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    const client = createClient({ address: `http://127.0.0.1:${address.port}` });
    await client.jobs.register(job({}));
    await client.jobs.register(job({ count: 2 }));
    await client.jobs.register(job({ count: 2, args: ['5'] }));
    const { data, meta } = await client.jobs.versions('web', { diffs: true });
    expect(data.Versions.map((v: Job) => v.Version)).toEqual([2, 1, 0]);
    expect(meta.lastIndex).toBe(data.Index);
    const [newest, older] = data.Diffs!;
    const task = newest!.TaskGroups![0]!.Tasks![0]!;
    expect(task.Objects?.[0]?.Fields?.filter((f) => f.Type !== 'None')).toEqual([
      { Type: 'Edited', Name: 'args[0]', Old: '60', New: '5', Annotations: null },
    ]);
    expect(older!.TaskGroups![0]!.Fields).toEqual([
      { Type: 'Edited', Name: 'Count', Old: '1', New: '2', Annotations: null },
    ]);
  });
});
