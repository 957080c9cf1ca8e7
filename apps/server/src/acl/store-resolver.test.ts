// The resolver with ACLs on, over a real in-memory state store: who each kind of token is and what
// it may do, as Nomad's Authenticate and ResolveACL decide.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { EndpointError } from '../endpoints/endpoint-error.js';
import { openStateStore, type StateStore } from '../state/index.js';
import { seed } from '../test-support/harness.js';
import { mockNode } from '../test-support/mock.js';
import type { AclIdentity } from './acl.js';
import { storeAclResolver } from './store-resolver.js';
import { deletePolicy, deleteToken, putPolicy, putToken } from './testing/acl-fixtures.js';

const READ_DEFAULT = 'namespace "default" { policy = "read" }';
const WRITE_DEFAULT = 'namespace "default" { policy = "write" }';

let store: StateStore;
beforeEach(() => {
  store = openStateStore({ inMemory: true });
});
afterEach(() => store.close());

/** The error `resolve` threw, as `<status> <text>`. */
function refusal(resolve: () => AclIdentity): string {
  try {
    resolve();
  } catch (error) {
    if (error instanceof EndpointError) return `${error.status} ${error.message}`;
    throw error;
  }
  return 'resolved';
}

describe('anonymous (no token)', () => {
  test('without an `anonymous` policy it may do nothing', () => {
    const anonymous = storeAclResolver(store).resolve('');
    expect(anonymous.allows('default', 'read-job')).toBe(false);
    expect(anonymous.namespaceFilter('read-job')).toBeUndefined();
    expect(anonymous.allowsNamespace('default')).toBe(false);
    expect(anonymous.isManagement()).toBe(false);
    expect(anonymous.allowsNodeRead()).toBe(false);
    expect(anonymous.nodeID).toBeUndefined();
  });

  test('holds the policy named `anonymous`, and a change to it applies at once', async () => {
    const acl = storeAclResolver(store);
    await putPolicy(store, 'anonymous', READ_DEFAULT);
    expect(acl.resolve('').allows('default', 'read-job')).toBe(true);
    expect(acl.resolve('').allows('default', 'alloc-lifecycle')).toBe(false);
    await putPolicy(store, 'anonymous', WRITE_DEFAULT);
    expect(acl.resolve('').allows('default', 'alloc-lifecycle')).toBe(true);
    await deletePolicy(store, 'anonymous');
    expect(acl.resolve('').allows('default', 'read-job')).toBe(false);
  });
});

describe('client tokens', () => {
  test('grant what their existing policies grant together; a missing policy grants nothing', async () => {
    await putPolicy(store, 'reader', READ_DEFAULT);
    await putPolicy(store, 'nodes', 'node { policy = "read" }');
    const token = await putToken(store, { policies: ['reader', 'nodes', 'not-there'] });
    const identity = storeAclResolver(store).resolve(token.SecretID);
    expect(identity.allows('default', 'read-job')).toBe(true);
    expect(identity.allows('default', 'submit-job')).toBe(false);
    expect(identity.allows('other', 'read-job')).toBe(false);
    expect(identity.allowsNodeRead()).toBe(true);
    expect(identity.allowsNodeWrite()).toBe(false);
    expect(identity.isManagement()).toBe(false);
  });

  test('a token whose policies are all missing may do nothing, until one is created', async () => {
    const acl = storeAclResolver(store);
    const token = await putToken(store, { policies: ['later'] });
    expect(acl.resolve(token.SecretID).allows('default', 'read-job')).toBe(false);
    await putPolicy(store, 'later', READ_DEFAULT);
    expect(acl.resolve(token.SecretID).allows('default', 'read-job')).toBe(true);
  });

  test('a policy narrowed after use applies at once (the compiled ACL is not reused)', async () => {
    const acl = storeAclResolver(store);
    await putPolicy(store, 'ops', WRITE_DEFAULT);
    const token = await putToken(store, { policies: ['ops'] });
    const before = acl.resolve(token.SecretID);
    expect(acl.resolve(token.SecretID)).toBe(before); // compiled once per policy version
    expect(before.allows('default', 'alloc-lifecycle')).toBe(true);
    await putPolicy(store, 'ops', READ_DEFAULT);
    expect(acl.resolve(token.SecretID).allows('default', 'alloc-lifecycle')).toBe(false);
  });

  test('namespace=*: the coarse check passes when some rule grants the capability', async () => {
    await putPolicy(store, 'prod', 'namespace "prod-*" { policy = "read" }');
    const token = await putToken(store, { policies: ['prod'] });
    const identity = storeAclResolver(store).resolve(token.SecretID);
    expect(identity.allows('*', 'read-job')).toBe(true);
    const filter = identity.namespaceFilter('read-job');
    expect(typeof filter).toBe('function');
    const allowed = filter as (ns: string) => boolean;
    expect([allowed('prod-eu'), allowed('default')]).toEqual([true, false]);
    expect(identity.namespaceFilter('alloc-lifecycle')).toBeUndefined();
  });

  test('an expired token is refused; one expiring later works until then', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const acl = storeAclResolver(store, () => now);
    await putPolicy(store, 'reader', READ_DEFAULT);
    const token = await putToken(store, {
      policies: ['reader'],
      expirationTime: '2030-01-01T00:10:00Z',
    });
    expect(acl.resolve(token.SecretID).allows('default', 'read-job')).toBe(true);
    now = Date.parse('2030-01-01T00:10:00Z');
    expect(refusal(() => acl.resolve(token.SecretID))).toBe('403 Permission denied');
  });
});

test('a management token may do everything', async () => {
  const token = await putToken(store, { type: 'management' });
  const identity = storeAclResolver(store).resolve(token.SecretID);
  expect(identity.isManagement()).toBe(true);
  expect(identity.allows('any', 'alloc-lifecycle')).toBe(true);
  expect(identity.namespaceFilter('read-job')).toBe('all');
  expect(identity.allowsNodeWrite()).toBe(true);
});

test('a node’s SecretID is that node’s identity, which holds no capability', async () => {
  const secret = randomUUID();
  const node = { ...mockNode(), SecretID: secret };
  await seed(store, { nodes: [node] });
  const identity = storeAclResolver(store).resolve(secret);
  expect(identity.nodeID).toBe(node.ID);
  expect(identity.allows('default', 'read-job')).toBe(false);
  expect(identity.namespaceFilter('read-job')).toBeUndefined();
  expect(identity.allowsNamespace('default')).toBe(false);
  expect(identity.allowsNodeRead()).toBe(false);
  expect(identity.allowsNodeWrite()).toBe(false);
  expect(identity.isManagement()).toBe(false);
});

test('an unknown UUID, a deleted token and anything not a UUID are refused with 403', async () => {
  const acl = storeAclResolver(store);
  const token = await putToken(store, { type: 'management' });
  await deleteToken(store, token);
  for (const bad of [
    randomUUID(),
    token.SecretID,
    'garbage',
    `${randomUUID()}x`,
    ' ',
    'x'.repeat(10_000),
  ]) {
    expect(refusal(() => acl.resolve(bad))).toBe('403 Permission denied');
  }
});

test('a resolution watched in a blocking query wakes when its token is deleted', async () => {
  const acl = storeAclResolver(store);
  const token = await putToken(store, { type: 'management' });
  const ws = store.newWatchSet();
  acl.resolve(token.SecretID, ws);
  const woken = store.waitForChange(ws, store.latestIndex());
  await deleteToken(store, token);
  expect(await woken).toBe(true);
});

test('a resolution watched in a blocking query wakes when a policy it holds changes', async () => {
  const acl = storeAclResolver(store);
  await putPolicy(store, 'reader', READ_DEFAULT);
  const token = await putToken(store, { policies: ['reader'] });
  const ws = store.newWatchSet();
  acl.resolve(token.SecretID, ws);
  const woken = store.waitForChange(ws, store.latestIndex());
  await putPolicy(store, 'reader', WRITE_DEFAULT);
  expect(await woken).toBe(true);
});
