// The ACL side of the fuzzed server: bootstraps ACLs through the API (the management token every
// later request may carry), writes a few policies and tokens through the API as an operator
// would, adds an expired token straight into the store (the API refuses a past expiry), and keeps
// that ACL state in place for the whole run: a fuzzed request that deletes or rewrites a seeded
// token or policy (the management token included), or adds one, is undone through the store, so
// every request meets the same callers and a big policy written by the fuzz is not parsed again
// and again by later reads.
import type { AclPolicy, AclToken } from '@berth/contract';
import type { RunningServer } from '../../src/server.js';
import type { FuzzAclTargets } from './generators.js';

/** The policies seeded, by name: what each lets its holders do. */
const SEEDED_POLICIES: Record<string, string> = {
  // Callers without a token may read the default namespace, so they reach past authorisation.
  anonymous: 'namespace "default" { policy = "read" }',
  'fuzz-read': 'namespace "default" { policy = "read" }\nnode { policy = "read" }',
  // Nearly everything, so that a client token reaches as deep as the management token.
  'fuzz-write': [
    'namespace "*" {',
    '  policy       = "write"',
    '  capabilities = ["alloc-lifecycle", "submit-job"]',
    '  variables { path "*" { capabilities = ["read"] } }',
    '}',
    'node     { policy = "write" }',
    'agent    { policy = "read" }',
    'operator { policy = "read" }',
    'node_pool "*" { policy = "read" }',
  ].join('\n'),
  // JSON rules, and a deny that overrides fuzz-write's glob in one namespace.
  'fuzz-deny': JSON.stringify({ namespace: { 'fuzz-ns': { policy: 'deny' } } }),
};

/** The client tokens seeded: their names and policies (one names a policy that does not exist). */
const SEEDED_CLIENTS: { Name: string; Policies: string[]; ExpirationTTL?: string }[] = [
  { Name: 'fuzz-reader', Policies: ['fuzz-read'] },
  { Name: 'fuzz-writer', Policies: ['fuzz-write', 'fuzz-deny'] },
  { Name: 'fuzz-nothing', Policies: ['no-such-policy'] },
  { Name: 'fuzz-expiring', Policies: ['fuzz-read', 'anonymous'], ExpirationTTL: '1h' },
];

/** Keeps the seeded ACL state in place; see the file's header. */
export interface AclGuard {
  targets: FuzzAclTargets;
  /**
   * Resolves once the ACL state is back as seeded (at once when it is); rejects if a restore
   * failed.
   */
  restored(): Promise<void>;
  /**
   * Stops restoring once the restores under way end; rejects if a restore failed (the run's
   * ACL state was then not the seeded one).
   */
  stop(): Promise<void>;
}

async function api<T>(
  server: RunningServer,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${server.address}${path}`, {
    method,
    headers: {
      ...(token === '' ? {} : { 'X-Nomad-Token': token }),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`fuzz setup: ${method} ${path} answered ${res.status} ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** Bootstraps ACLs on `server` (started with ACLs on) and seeds the fuzz's tokens and policies. */
export async function seedFuzzAcl(server: RunningServer): Promise<AclGuard> {
  const store = server.store;
  const bootstrap = await api<AclToken>(server, 'POST', '/v1/acl/bootstrap', '');
  const management = bootstrap.SecretID;
  for (const [name, rules] of Object.entries(SEEDED_POLICIES)) {
    await api(server, 'PUT', `/v1/acl/policy/${name}`, management, {
      Name: name,
      Description: `seeded by the fuzz`,
      Rules: rules,
    });
  }
  const tokens = [bootstrap];
  for (const client of SEEDED_CLIENTS) {
    tokens.push(
      await api<AclToken>(server, 'POST', '/v1/acl/token', management, {
        ...client,
        Type: 'client',
      }),
    );
  }
  tokens.push(
    await api<AclToken>(server, 'POST', '/v1/acl/token', management, {
      Name: 'fuzz-admin',
      Type: 'management',
    }),
  );
  // Expired an hour ago: the API cannot make one, a token simply outlives its expiry.
  const expiredAt = new Date(Date.now() - 3_600_000).toISOString();
  await store.write((tx) => {
    const expired: AclToken = {
      ...tokens[1]!,
      AccessorID: '00000000-0000-4000-8e00-000000000001',
      SecretID: '00000000-0000-4000-8e00-000000000002',
      Name: 'fuzz-expired',
      ExpirationTime: expiredAt,
      CreateIndex: tx.index,
      ModifyIndex: tx.index,
    };
    tx.upsertAclToken(expired);
    tokens.push(expired);
  });

  // What the ACL tables must hold: the seeded objects, by key, as last written.
  const wantTokens = new Map(
    tokens.map((t) => [t.AccessorID, store.aclTokenByAccessor(t.AccessorID)!]),
  );
  const wantPolicies = new Map(
    Object.keys(SEEDED_POLICIES).map((name) => [name, store.aclPolicyByName(name)!]),
  );

  const drifted = (): boolean => {
    const storedTokens = store.aclTokens('');
    const storedPolicies = store.aclPolicies('');
    return (
      storedTokens.length !== wantTokens.size ||
      storedPolicies.length !== wantPolicies.size ||
      storedTokens.some((t) => wantTokens.get(t.AccessorID)?.ModifyIndex !== t.ModifyIndex) ||
      storedPolicies.some((p) => wantPolicies.get(p.Name)?.ModifyIndex !== p.ModifyIndex)
    );
  };

  const restore = async (): Promise<void> => {
    if (!drifted()) return;
    const storedTokens = store.aclTokens('');
    const storedPolicies = store.aclPolicies('');
    await store.write((tx) => {
      // Deletes first, so that a seeded secret is free again before it is written back.
      for (const t of storedTokens)
        if (!wantTokens.has(t.AccessorID)) tx.deleteAclToken(t.AccessorID);
      for (const p of storedPolicies) if (!wantPolicies.has(p.Name)) tx.deleteAclPolicy(p.Name);
      for (const [accessor, want] of wantTokens) {
        if (tx.aclToken(accessor)?.ModifyIndex === want.ModifyIndex) continue;
        const back: AclToken = { ...want, ModifyIndex: tx.index };
        tx.upsertAclToken(back);
        wantTokens.set(accessor, back);
      }
      for (const [name, want] of wantPolicies) {
        if (tx.aclPolicy(name)?.ModifyIndex === want.ModifyIndex) continue;
        const back: AclPolicy = { ...want, ModifyIndex: tx.index };
        tx.upsertAclPolicy(back);
        wantPolicies.set(name, back);
      }
    });
  };

  // Restores run one after another, started by any write to the ACL tables (a restore's own
  // write starts one more, which finds nothing to do).
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;
  // Kept for restored() and stop() to throw: a listener must not throw into the store's commit.
  const remember = (error: unknown) => {
    failure ??= error;
  };
  const check = () => {
    if (failure !== undefined) {
      throw new Error('fuzz: the seeded ACL state could not be restored', { cause: failure });
    }
  };
  const unsubscribe = store.onCommit((commit) => {
    if (commit.changes('acl_tokens').length === 0 && commit.changes('acl_policies').length === 0) {
      return;
    }
    chain = chain.then(restore).catch(remember);
  });

  const expired = tokens[tokens.length - 1]!;
  return {
    targets: {
      management,
      others: tokens.slice(1, -1).map((t) => t.SecretID),
      managers: tokens.filter((t) => t.Type === 'management').map((t) => t.SecretID),
      expired: [expired.SecretID],
      accessors: tokens.map((t) => t.AccessorID),
      policies: Object.keys(SEEDED_POLICIES),
    },
    async restored() {
      // A write may have landed after the last restore started: check once more, in turn.
      chain = chain.then(restore).catch(remember);
      await chain;
      check();
    },
    async stop() {
      unsubscribe();
      await chain;
      check();
    },
  };
}
