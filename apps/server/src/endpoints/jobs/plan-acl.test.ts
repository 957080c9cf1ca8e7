// Who may plan a job, with ACLs on (Nomad's Job.Plan): submit-job or plan-job in the job's
// namespace; PolicyOverride also needs sentinel-override. A refused plan still writes nothing.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { storeAclResolver } from '../../acl/store-resolver.js';
import { putPolicy, putToken } from '../../acl/testing/acl-fixtures.js';
import { openStateStore } from '../../state/index.js';
import { seed, startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockNode } from '../../test-support/mock.js';

let server: TestServer;
beforeEach(async () => {
  const store = openStateStore({ inMemory: true, freeze: true });
  server = await startTestServer({ store, acl: storeAclResolver(store) });
  await seed(store, { nodes: [mockNode()] });
  await putPolicy(store, 'plan', 'namespace "default" { capabilities = ["plan-job"] }');
  await putPolicy(store, 'submit', 'namespace "default" { capabilities = ["submit-job"] }');
  await putPolicy(store, 'read', 'namespace "default" { policy = "read" }');
  await putPolicy(
    store,
    'override',
    'namespace "default" { capabilities = ["plan-job", "sentinel-override"] }',
  );
});
afterEach(() => server.close());

const job = {
  ID: 'web',
  Datacenters: ['dc1'],
  TaskGroups: [{ Name: 'web', Count: 1, Tasks: [{ Name: 'web', Driver: 'raw_exec' }] }],
};

async function plan(policy: string, body: Record<string, unknown> = {}) {
  const token = (await putToken(server.store, { policies: [policy] })).SecretID;
  const index = server.store.latestIndex();
  const res = await server.inject({
    method: 'PUT',
    url: '/v1/job/web/plan',
    headers: { 'x-nomad-token': token },
    payload: { Job: job, ...body },
  });
  expect(server.store.latestIndex()).toBe(index);
  return res.statusCode === 200 ? 200 : `${res.statusCode} ${res.body}`;
}

test('plan-job or submit-job may plan; read may not', async () => {
  expect(await plan('plan')).toBe(200);
  expect(await plan('submit')).toBe(200);
  expect(await plan('read')).toBe('403 Permission denied');
});

test('PolicyOverride needs sentinel-override too', async () => {
  expect(await plan('plan', { PolicyOverride: true })).toBe('403 Permission denied');
  expect(await plan('override', { PolicyOverride: true })).toBe(200);
});

test('validation comes before authorisation, as in Nomad', async () => {
  const token = (await putToken(server.store, { policies: ['read'] })).SecretID;
  const res = await server.inject({
    method: 'PUT',
    url: '/v1/job/web/plan',
    headers: { 'x-nomad-token': token },
    payload: { Job: { ID: 'web', TaskGroups: [] } },
  });
  expect(res.statusCode).toBe(400);
});
