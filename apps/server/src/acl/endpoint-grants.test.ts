// With ACLs on, what client tokens' policies let them do on the endpoints whose checks are not
// one namespace capability: node reads, `namespace=*` lists, lifecycle calls in the allocation's
// own namespace, and job writes with Nomad's finer-grained job capabilities.
import type { Allocation } from '@berth/contract';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openStateStore } from '../state/index.js';
import { seed, startTestServer, type TestServer } from '../test-support/harness.js';
import { mockAlloc, mockEval, mockJob, mockNode } from '../test-support/mock.js';
import { failure } from '../test-support/api-failure.js';
import { storeAclResolver } from './store-resolver.js';
import { putPolicy, putToken } from './testing/acl-fixtures.js';

let server: TestServer;
let nodeID: string;
let inDefault: Allocation;
let inOther: Allocation;

beforeEach(async () => {
  const store = openStateStore({ inMemory: true, freeze: true });
  server = await startTestServer({ store, acl: storeAclResolver(store) });
  const node = mockNode();
  nodeID = node.ID;
  const job = mockJob();
  inDefault = mockAlloc({ NodeID: node.ID, Job: job });
  inOther = mockAlloc({ NodeID: node.ID, Job: mockJob({ Namespace: 'other' }) });
  await seed(store, {
    nodes: [node],
    jobs: [job],
    allocs: [inDefault, inOther],
    evals: [mockEval({ JobID: job.ID })],
  });
  await putPolicy(store, 'nodes', 'node { policy = "read" }');
  await putPolicy(store, 'read-default', 'namespace "default" { policy = "read" }');
  await putPolicy(store, 'write-other', 'namespace "other" { policy = "write" }');
  await putPolicy(store, 'read-prod', 'namespace "prod-*" { policy = "read" }');
  await putPolicy(store, 'lifecycle-only', 'namespace "*" { capabilities = ["alloc-lifecycle"] }');
});
afterEach(() => server.close());

async function tokenFor(...policies: string[]): Promise<string> {
  return (await putToken(server.store, { policies })).SecretID;
}

async function get(url: string, token: string): Promise<{ status: number; ids: string[] }> {
  const res = await server.inject({ url, headers: { 'x-nomad-token': token } });
  if (res.statusCode !== 200) return { status: res.statusCode, ids: [res.body] };
  const body = JSON.parse(res.body) as { ID: string }[] | { ID: string };
  return { status: 200, ids: Array.isArray(body) ? body.map((o) => o.ID) : [body.ID] };
}

describe('nodes', () => {
  test('node reads need node:read', async () => {
    const reader = await tokenFor('nodes');
    const stranger = await tokenFor('read-default');
    expect((await get('/v1/nodes', reader)).ids).toEqual([nodeID]);
    expect(await get(`/v1/node/${nodeID}`, reader)).toEqual({ status: 200, ids: [nodeID] });
    expect(await get('/v1/nodes', stranger)).toEqual({
      status: 403,
      ids: ['Permission denied'],
    });
    expect((await get(`/v1/node/${nodeID}`, stranger)).status).toBe(403);
    expect((await get(`/v1/node/${nodeID}/allocations`, stranger)).status).toBe(403);
  });

  test('a node’s allocations are only those in namespaces the caller may read-job in', async () => {
    const url = `/v1/node/${nodeID}/allocations`;
    expect(await get(url, await tokenFor('nodes'))).toEqual({ status: 200, ids: [] });
    expect(await get(url, await tokenFor('nodes', 'read-default'))).toEqual({
      status: 200,
      ids: [inDefault.ID],
    });
  });
});

describe('namespace=*', () => {
  test('lists only the namespaces the token may read', async () => {
    const reader = await tokenFor('read-default');
    expect(await get('/v1/allocations?namespace=*', reader)).toEqual({
      status: 200,
      ids: [inDefault.ID],
    });
  });

  test('a rule granting the capability somewhere passes, and nothing to show is 200 []', async () => {
    const prod = await tokenFor('read-prod');
    for (const url of [
      '/v1/allocations?namespace=*',
      '/v1/jobs?namespace=*',
      '/v1/evaluations?namespace=*',
    ]) {
      expect(await get(url, prod)).toEqual({ status: 200, ids: [] });
    }
  });

  test('no rule granting the capability anywhere is a 403', async () => {
    const lifecycle = await tokenFor('lifecycle-only');
    for (const url of [
      '/v1/allocations?namespace=*',
      '/v1/jobs?namespace=*',
      '/v1/evaluations?namespace=*',
    ]) {
      expect((await get(url, lifecycle)).status).toBe(403);
    }
  });
});

describe('lifecycle', () => {
  test('stop needs alloc-lifecycle in the allocation’s own namespace, not the request’s', async () => {
    const writer = await tokenFor('write-other');
    const stop = (alloc: Allocation, query = '') =>
      server.inject({
        method: 'POST',
        url: `/v1/allocation/${alloc.ID}/stop${query}`,
        headers: { 'x-nomad-token': writer },
      });
    const denied = await stop(inDefault, '?namespace=other');
    expect([denied.statusCode, denied.body]).toEqual([403, 'Permission denied']);
    expect((await stop(inOther)).statusCode).toBe(200);
  });

  test('an alloc-lifecycle grant alone does not read', async () => {
    const lifecycle = await tokenFor('lifecycle-only');
    expect((await get(`/v1/allocation/${inDefault.ID}`, lifecycle)).status).toBe(403);
  });
});

describe('job writes', () => {
  const job = {
    ID: 'cache',
    Datacenters: ['dc1'],
    TaskGroups: [
      {
        Name: 'cache',
        Tasks: [{ Name: 'redis', Driver: 'raw_exec', Config: { command: '/bin/sleep' } }],
      },
    ],
  };
  const grant = async (caps: string) => {
    const name = `caps-${caps.replace(/\W/g, '')}`;
    await putPolicy(server.store, name, `namespace "default" { capabilities = [${caps}] }`);
    return server.clientFor({ token: await tokenFor(name) });
  };

  test('register needs submit-job or register-job', async () => {
    const reader = server.clientFor({ token: await tokenFor('read-default') });
    expect((await failure(reader.jobs.register(job))).status).toBe(403);
    expect((await (await grant('"register-job"')).jobs.register(job)).data.EvalID).not.toBe('');
    expect((await (await grant('"submit-job"')).jobs.register(job)).data.EvalID).not.toBe('');
  });

  test('deregister needs submit-job, purge-job, or deregister-job to stop without purging', async () => {
    const admin = await grant('"submit-job"');
    await admin.jobs.register(job);
    const stopper = await grant('"deregister-job"');
    expect((await failure(stopper.jobs.deregister('cache', { purge: true }))).status).toBe(403);
    expect((await stopper.jobs.deregister('cache')).data.EvalID).not.toBe('');
    const reader = server.clientFor({ token: await tokenFor('read-default') });
    expect((await failure(reader.jobs.deregister('cache'))).status).toBe(403);
    const purger = await grant('"purge-job"');
    await purger.jobs.deregister('cache', { purge: true });
    expect(server.store.jobByID('default', 'cache')).toBeUndefined();
  });
});
