import type { AclPolicy, AclToken, Node } from '@berth/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openStateStore, type StateStore } from '../index.js';
import { node, tempDir, uuid } from '../test-support/fixtures.js';

function policy(name: string, index = 0): AclPolicy {
  return {
    Name: name,
    Description: '',
    Rules: 'namespace "default" { policy = "read" }',
    RulesJSON: null,
    JobACL: null,
    Hash: 'aGFzaA==',
    CreateIndex: index,
    ModifyIndex: index,
  };
}

function token(overrides: Partial<AclToken> = {}): AclToken {
  return {
    AccessorID: uuid('acc'),
    SecretID: uuid('5ec'),
    Name: 'ops',
    Type: 'client',
    Policies: ['readonly'],
    Roles: null,
    Global: false,
    Hash: 'aGFzaA==',
    CreateTime: '2026-01-01T00:00:00Z',
    ExpirationTime: null,
    ExpirationTTL: '',
    CreateIndex: 0,
    ModifyIndex: 0,
    ...overrides,
  };
}

let dir: string;
let remove: () => void;
const open: StateStore[] = [];

function openDir(): StateStore {
  const store = openStateStore({ dataDir: dir, freeze: true });
  open.push(store);
  return store;
}

beforeEach(() => {
  ({ dir, remove } = tempDir());
});

afterEach(() => {
  for (const store of open.splice(0)) store.close();
  remove();
});

describe('ACL tables', () => {
  it('finds tokens by accessor and by secret, lists them by creation or accessor prefix', async () => {
    const store = openDir();
    const a = token({ AccessorID: 'bbbb0000-0000-4000-8000-000000000001' });
    const b = token({ AccessorID: 'aaaa0000-0000-4000-8000-000000000002' });
    await store.write((tx) => tx.upsertAclToken({ ...a, CreateIndex: tx.index }));
    await store.write((tx) => tx.upsertAclToken({ ...b, CreateIndex: tx.index }));

    expect(store.aclTokenByAccessor(a.AccessorID)?.SecretID).toBe(a.SecretID);
    expect(store.aclTokenBySecret(b.SecretID)?.AccessorID).toBe(b.AccessorID);
    expect(store.aclTokenBySecret(b.SecretID.toUpperCase())).toBeUndefined();
    expect(store.aclTokenBySecret('')).toBeUndefined();
    // Without a prefix: creation order; with one: accessor order.
    expect(store.aclTokens('').map((t) => t.AccessorID)).toEqual([a.AccessorID, b.AccessorID]);
    expect(store.aclTokens('', undefined, { reverse: true }).map((t) => t.AccessorID)).toEqual([
      b.AccessorID,
      a.AccessorID,
    ]);
    expect(store.aclTokens('aaaa').map((t) => t.AccessorID)).toEqual([b.AccessorID]);

    await store.write((tx) => tx.deleteAclToken(a.AccessorID));
    expect(store.aclTokenBySecret(a.SecretID)).toBeUndefined();
    expect(store.tableIndex('acl_tokens')).toBe(store.latestIndex());
  });

  it('refuses a second token with the same secret, in one write or across writes', async () => {
    const store = openDir();
    const first = token();
    await store.write((tx) => tx.upsertAclToken(first));
    await expect(
      store.write((tx) => tx.upsertAclToken(token({ SecretID: first.SecretID }))),
    ).rejects.toThrow('secret must be unique');
    const shared = uuid('5ec');
    await expect(
      store.write((tx) => {
        tx.upsertAclToken(token({ SecretID: shared }));
        tx.upsertAclToken(token({ SecretID: shared }));
      }),
    ).rejects.toThrow('secret must be unique');
    // A token may keep its own secret, and a deleted token's secret is free again.
    await store.write((tx) => tx.upsertAclToken({ ...first, Name: 'renamed' }));
    await store.write((tx) => {
      tx.deleteAclToken(first.AccessorID);
      tx.upsertAclToken(token({ SecretID: first.SecretID }));
    });
    expect(store.aclTokens('')).toHaveLength(1);
  });

  it('lists policies by name prefix', async () => {
    const store = openDir();
    await store.write((tx) => {
      for (const name of ['ops-write', 'dev', 'ops-read']) tx.upsertAclPolicy(policy(name));
    });
    expect(store.aclPolicies('').map((p) => p.Name)).toEqual(['dev', 'ops-read', 'ops-write']);
    expect(store.aclPolicies('ops-').map((p) => p.Name)).toEqual(['ops-read', 'ops-write']);
    expect(store.aclPolicyByName('dev')?.Rules).toContain('namespace');
    await store.write((tx) => tx.deleteAclPolicy('dev'));
    expect(store.aclPolicyByName('dev')).toBeUndefined();
  });

  it('finds a node by its SecretID, never by an empty one', async () => {
    const store = openDir();
    const secret = uuid('5ec');
    const registered = { ...node(), SecretID: secret } as Node;
    const bare = node();
    await store.write((tx) => {
      tx.upsertNode(registered);
      tx.upsertNode(bare);
    });
    expect(store.nodeBySecret(secret)?.ID).toBe(registered.ID);
    expect(store.nodeBySecret('')).toBeUndefined();
    expect(store.nodeBySecret(uuid('5ec'))).toBeUndefined();
  });

  it('wakes a watcher of a token looked up by secret when that token changes', async () => {
    const store = openDir();
    const t = token();
    await store.write((tx) => tx.upsertAclToken(t));
    const ws = store.newWatchSet();
    store.aclTokenBySecret(t.SecretID, ws);
    const woken = store.waitForChange(ws, store.latestIndex(), AbortSignal.timeout(5000));
    await store.write((tx) => tx.deleteAclToken(t.AccessorID));
    expect(await woken).toBe(true);
  });

  it('keeps tokens, policies, node secrets and the bootstrap index across a restart', async () => {
    const first = openDir();
    const t = token({ Type: 'management', Policies: null });
    const secret = uuid('5ec');
    const n = { ...node(), SecretID: secret } as Node;
    let bootstrapIndex = 0;
    await first.write((tx) => {
      tx.upsertAclToken({ ...t, CreateIndex: tx.index, ModifyIndex: tx.index });
      tx.setAclBootstrapIndex(tx.index);
      bootstrapIndex = tx.index;
    });
    await first.write((tx) => {
      tx.upsertAclPolicy(policy('readonly', tx.index));
      tx.upsertNode(n);
    });
    expect(first.aclBootstrapIndex()).toBe(bootstrapIndex);
    const tables = ['acl_tokens', 'acl_policies', 'acl_bootstrap'] as const;
    const indexes = tables.map((name) => first.tableIndex(name));
    first.close();

    const second = openDir();
    expect(second.aclBootstrapIndex()).toBe(bootstrapIndex);
    expect(second.aclTokenBySecret(t.SecretID)).toMatchObject({
      AccessorID: t.AccessorID,
      Type: 'management',
      CreateIndex: bootstrapIndex,
    });
    expect(second.aclPolicyByName('readonly')?.Rules).toBe(policy('x').Rules);
    expect(second.nodeBySecret(secret)?.ID).toBe(n.ID);
    expect(tables.map((name) => second.tableIndex(name))).toEqual(indexes);
  });
});
