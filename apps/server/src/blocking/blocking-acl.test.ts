// Blocking queries re-check their caller's token on every wake-up: a token deleted while a query
// waits ends it with a 403, and a policy narrowed meanwhile shows the narrower result.
import type { StateStore } from '../state/index.js';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { storeAclResolver } from '../acl/store-resolver.js';
import { deleteToken, putPolicy, putToken } from '../acl/testing/acl-fixtures.js';
import { openStateStore } from '../state/index.js';
import { seed, startTestServer, type TestServer } from '../test-support/harness.js';
import { mockAlloc, mockJob } from '../test-support/mock.js';

let server: TestServer;
beforeEach(async () => {
  const store = openStateStore({ inMemory: true, freeze: true });
  server = await startTestServer({ store, acl: storeAclResolver(store) });
  await putPolicy(store, 'reader', 'namespace "*" { policy = "read" }');
});
afterEach(() => server.close());

/** Resolves once `count` blocking queries wait on the store. */
async function waiting(store: StateStore, count = 1): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (store.waiting < count) {
    if (Date.now() > deadline) throw new Error('the query never blocked');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Starts a blocking GET of `url` at the store's current index, waiting up to 30 s. */
function blockingGet(url: string, token: string) {
  const index = server.store.latestIndex();
  const sep = url.includes('?') ? '&' : '?';
  const started = Date.now();
  const answer = server
    .inject({ url: `${url}${sep}index=${index}&wait=30s`, headers: { 'x-nomad-token': token } })
    .then((res) => ({ status: res.statusCode, body: res.body, ms: Date.now() - started }));
  return answer;
}

test('a list blocked with a token that is then deleted answers 403 when woken', async () => {
  const token = await putToken(server.store, { policies: ['reader'] });
  await seed(server.store, { allocs: [mockAlloc()] });
  const answer = blockingGet('/v1/allocations', token.SecretID);
  await waiting(server.store);
  await deleteToken(server.store, token);
  await seed(server.store, { allocs: [mockAlloc()] });
  const { status, body, ms } = await answer;
  expect([status, body]).toEqual([403, 'Permission denied']);
  expect(ms).toBeLessThan(30_000);
});

test('a read blocked with a token that is then deleted answers 403 at once', async () => {
  const token = await putToken(server.store, { policies: ['reader'] });
  const alloc = mockAlloc();
  await seed(server.store, { allocs: [alloc] });
  const answer = blockingGet(`/v1/allocation/${alloc.ID}`, token.SecretID);
  await waiting(server.store);
  // The token is in the query's watch set: deleting it wakes the query, no other write needed.
  await deleteToken(server.store, token);
  expect(await answer).toMatchObject({ status: 403, body: 'Permission denied' });
});

test('a list blocked while its policy is narrowed shows the narrower set', async () => {
  const token = await putToken(server.store, { policies: ['reader'] });
  await seed(server.store, {
    allocs: [mockAlloc(), mockAlloc({ Job: mockJob({ Namespace: 'other' }) })],
  });
  const answer = blockingGet('/v1/allocations?namespace=*', token.SecretID);
  await waiting(server.store);
  await putPolicy(server.store, 'reader', 'namespace "default" { policy = "read" }');
  const fresh = mockAlloc();
  await seed(server.store, { allocs: [fresh] });
  const { status, body } = await answer;
  expect(status).toBe(200);
  const namespaces = new Set((JSON.parse(body) as { Namespace: string }[]).map((a) => a.Namespace));
  expect([...namespaces]).toEqual(['default']);
});
