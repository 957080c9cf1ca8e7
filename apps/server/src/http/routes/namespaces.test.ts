import { multiError } from '@berth/contract';
import type { AclIdentity, AclResolver } from '../../acl/acl.js';
import { EndpointError } from '../../endpoints/endpoint-error.js';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { seed, startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockAlloc, mockJob } from '../../test-support/mock.js';
import { failure } from '../../test-support/api-failure.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const job = (id: string, namespace: string) => ({
  ID: id,
  Namespace: namespace,
  Datacenters: ['dc1'],
  TaskGroups: [{ Name: 'web', Tasks: [{ Name: 'web', Driver: 'raw_exec' }] }],
});

const names = async () => (await server.client.namespaces.list()).data.map((ns) => ns.Name);

describe('namespaces', () => {
  test('default always exists; a created namespace is listed, read, updated', async () => {
    expect((await server.client.namespaces.info('default')).data).toMatchObject({
      Name: 'default',
      Description: 'Default shared namespace',
    });
    const created = await server.client.namespaces.register({
      Name: 'team-a',
      Description: 'Team A',
      Meta: { owner: 'ops' },
    });
    expect(created.meta.lastIndex).toBeGreaterThan(1);
    expect(await names()).toEqual(['default', 'team-a']);
    const read = await server.client.namespaces.info('team-a');
    expect(read.data).toEqual({
      Name: 'team-a',
      Description: 'Team A',
      Quota: '',
      Meta: { owner: 'ops' },
      CreateIndex: created.meta.lastIndex,
      ModifyIndex: created.meta.lastIndex,
      // Settings berth does not enforce, at Nomad's zero value.
      Capabilities: null,
      NodePoolConfiguration: null,
      VaultConfiguration: null,
      ConsulConfiguration: null,
      RequiredExtraClaims: null,
      OptionalExtraClaims: null,
      Hash: null,
    });
    expect(read.meta.lastIndex).toBe(created.meta.lastIndex);

    const updated = await server.client.namespaces.register({ Name: 'team-a', Description: 'A' });
    expect((await server.client.namespaces.info('team-a')).data).toMatchObject({
      Description: 'A',
      Meta: null,
      CreateIndex: created.meta.lastIndex,
      ModifyIndex: updated.meta.lastIndex,
    });
    expect((await server.client.namespaces.list({ prefix: 'team' })).data.length).toBe(1);
  });

  test('POST /v1/namespace takes the name from the body; a path that disagrees is refused', async () => {
    const res = await server.inject({
      method: 'POST',
      url: '/v1/namespace',
      payload: { Name: 'batch' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    expect(Number(res.headers['x-nomad-index'])).toBeGreaterThan(1);
    expect(await names()).toEqual(['batch', 'default']);

    const mismatch = await server.inject({
      method: 'PUT',
      url: '/v1/namespace/other',
      payload: { Name: 'batch' },
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toBe('Namespace name does not match request path');
  });

  test('bad names and long descriptions get Nomad texts', async () => {
    const bad = await failure(server.client.namespaces.register({ Name: 'no_way' }));
    expect(bad.status).toBe(400);
    expect(bad.message).toBe(
      `Invalid namespace "no_way": ${multiError(['invalid name "no_way". Must match regex ^[a-zA-Z0-9-]{1,128}$'])}`,
    );
    const both = await failure(
      server.client.namespaces.register({ Name: 'x'.repeat(129), Description: 'é'.repeat(129) }),
    );
    expect(both.message).toBe(
      `Invalid namespace "${'x'.repeat(129)}": ${multiError([
        `invalid name "${'x'.repeat(129)}". Must match regex ^[a-zA-Z0-9-]{1,128}$`,
        'description longer than 256',
      ])}`,
    );
    const body = await server.inject({
      method: 'POST',
      url: '/v1/namespace',
      payload: { Name: 7 },
    });
    expect(body.statusCode).toBe(400);
    expect(body.body).toBe(
      'Failed to decode body: json: cannot unmarshal number into Go struct field Namespace.Name of type string',
    );
    expect(await names()).toEqual(['default']);
  });

  test('reading a missing namespace is a 404 with the index', async () => {
    const error = await failure(server.client.namespaces.info('ghost'));
    expect(error.status).toBe(404);
    expect(error.message).toBe('Namespace not found');
  });

  test('delete: default refused, unknown 404, empty namespace deleted', async () => {
    const def = await failure(server.client.namespaces.delete('default'));
    expect([def.status, def.message]).toEqual([400, 'can not delete default namespace']);
    const ghost = await failure(server.client.namespaces.delete('ghost'));
    expect([ghost.status, ghost.message]).toEqual([404, 'namespace not found']);

    await server.client.namespaces.register({ Name: 'temp' });
    const deleted = await server.client.namespaces.delete('temp');
    expect(deleted.meta.lastIndex).toBeGreaterThan(1);
    expect(await names()).toEqual(['default']);
  });

  test('delete is refused while a job lives in the namespace, allowed once it is purged', async () => {
    await server.client.namespaces.register({ Name: 'prod' });
    await server.client.jobs.register(job('web', 'prod'));
    const refused = await failure(server.client.namespaces.delete('prod'));
    expect(refused.status).toBe(409);
    // No scheduler runs here: the job is pending, and so is its evaluation.
    expect(refused.message).toBe(
      multiError([
        'namespace "prod" has non-terminal jobs in regions: [global]',
        'namespace "prod" has non-terminal evaluations in regions: [global]',
      ]),
    );
    expect(await names()).toEqual(['default', 'prod']);

    await server.client.jobs.deregister('web', { purge: true }, { namespace: 'prod' });
    for (const e of server.store.evalsByNamespace('prod')) {
      await server.store.write((tx) => tx.upsertEval({ ...e, Status: 'complete' }));
    }
    await server.client.namespaces.delete('prod');
    expect(await names()).toEqual(['default']);
  });

  test('delete is refused while an allocation still runs there, even of a purged job', async () => {
    await server.client.namespaces.register({ Name: 'prod' });
    const orphan = mockJob({ Namespace: 'prod', ID: 'gone' });
    await seed(server.store, {
      allocs: [
        mockAlloc({ Namespace: 'prod', JobID: 'gone', Job: orphan, ClientStatus: 'running' }),
      ],
    });
    const refused = await failure(server.client.namespaces.delete('prod'));
    expect([refused.status, refused.message]).toEqual([
      409,
      multiError(['namespace "prod" has non-terminal allocations in regions: [global]']),
    ]);
  });

  test('a job registered into a namespace that does not exist is refused', async () => {
    const error = await failure(server.client.jobs.register(job('web', 'nowhere')));
    expect(error.status).toBe(400);
    expect(error.message).toBe(multiError(['job "web" is in nonexistent namespace "nowhere"']));
    const viaQuery = await failure(
      server.client.jobs.register(job('web', ''), {}, { namespace: 'gone' }),
    );
    expect(viaQuery.message).toBe(multiError(['job "web" is in nonexistent namespace "gone"']));
    expect(server.store.jobs('*')).toEqual([]);
  });

  test('a blocking list is woken by a write and answers the new namespace', async () => {
    const first = await server.client.namespaces.list();
    const blocked = server.client.namespaces.list({
      index: first.meta.lastIndex,
      wait: '10s',
    });
    await server.client.namespaces.register({ Name: 'late' });
    const woken = await blocked;
    expect(woken.meta.lastIndex).toBeGreaterThan(first.meta.lastIndex);
    expect(woken.data.map((ns) => ns.Name)).toEqual(['default', 'late']);
  });

  test('a blocking read is woken by an update of that namespace', async () => {
    const created = await server.client.namespaces.register({ Name: 'team' });
    const blocked = server.client.namespaces.info('team', {
      index: created.meta.lastIndex,
      wait: '10s',
    });
    await server.client.namespaces.register({ Name: 'team', Description: 'now described' });
    expect((await blocked).data.Description).toBe('now described');
  });
});

describe('namespaces through the ACL seam', () => {
  // A caller holding read-job in `default` only; any other token is unknown.
  const acl: AclResolver = {
    resolve(token): AclIdentity {
      if (token !== 'reader') throw new EndpointError(403, 'Permission denied');
      return {
        allows: (ns, cap) => ns === 'default' && cap === 'read-job',
        namespaceFilter: (cap) => (cap === 'read-job' ? (ns) => ns === 'default' : undefined),
        allowsNamespace: (ns) => ns === 'default',
        isManagement: () => false,
        allowsNodeRead: () => false,
        allowsNodeWrite: () => false,
        allowsAgentRead: () => false,
        allowsOperatorRead: () => false,
      };
    },
  };

  test('a reader lists and reads only its namespaces and cannot write', async () => {
    const guarded = await startTestServer({ acl });
    try {
      await seedNamespace(guarded, 'secret');
      const reader = guarded.clientFor({ token: 'reader' });
      expect((await reader.namespaces.list()).data.map((ns) => ns.Name)).toEqual(['default']);
      const read = await failure(reader.namespaces.info('secret'));
      expect([read.status, read.message]).toEqual([403, 'Permission denied']);
      const write = await failure(reader.namespaces.register({ Name: 'mine' }));
      expect([write.status, write.message]).toEqual([403, 'Permission denied']);
      const del = await failure(reader.namespaces.delete('secret'));
      expect([del.status, del.message]).toEqual([403, 'Permission denied']);
      const stranger = await failure(guarded.client.namespaces.list());
      expect(stranger.status).toBe(403);
      expect(guarded.store.namespaces().map((ns) => ns.Name)).toEqual(['default', 'secret']);
    } finally {
      await guarded.close();
    }
  });
});

async function seedNamespace(target: TestServer, name: string): Promise<void> {
  await target.store.write((tx) =>
    tx.upsertNamespace({
      Name: name,
      Description: '',
      Quota: '',
      Meta: null,
      CreateIndex: tx.index,
      ModifyIndex: tx.index,
    }),
  );
}
