// The resolver's decisions and its cache, against a table of tokens and policies standing in for
// the servers (the agent's tests under test/ resolve tokens with a real berth server).
import { randomUUID } from 'node:crypto';
import { policyCache } from '@berth/acl';
import { describe, expect, it } from 'vitest';
import { ServerCallError } from '../daemon/server-failover.js';
import type { AclAnswer, AclServers, TokenInfo } from './acl-servers.js';
import { AclUnavailableError, TokenAuthorizer, type Authorisation } from './token-authorizer.js';

const LIFECYCLE_IN_PROD = 'namespace "prod" { capabilities = ["alloc-lifecycle"] }';

interface Table {
  tokens: Map<string, TokenInfo>;
  policies: Map<string, string>;
  /** ACLs off on the servers. */
  disabled: boolean;
  /** No server answers. */
  unreachable: boolean;
  calls: string[];
}

function servers(table: Table): AclServers {
  const answer = <T>(found: T | undefined, absent: 'missing' | 'denied'): AclAnswer<T> => {
    if (table.unreachable) throw new ServerCallError(0, 'no server reachable: fetch failed');
    if (table.disabled) return { kind: 'disabled' };
    return found === undefined ? { kind: absent } : { kind: 'found', value: found };
  };
  return {
    tokenSelf(secret) {
      table.calls.push('self');
      return Promise.resolve().then(() => answer(table.tokens.get(secret), 'denied'));
    },
    policyRules(name, secret) {
      table.calls.push(`policy ${name}`);
      return Promise.resolve().then(() => {
        const holder = table.tokens.get(secret);
        // A token may read its own policies; anyone may read `anonymous`.
        if (name !== 'anonymous' && !holder?.policies.includes(name)) {
          return answer<string>(undefined, 'denied');
        }
        return answer<string>(table.policies.get(name), 'missing');
      });
    },
  };
}

function setup(options: { ttlMs?: number; maxEntries?: number } = {}) {
  const table: Table = {
    tokens: new Map(),
    policies: new Map([['lifecycle-prod', LIFECYCLE_IN_PROD]]),
    disabled: false,
    unreachable: false,
    calls: [],
  };
  const clock = { now: 1_000_000 };
  const authorizer = new TokenAuthorizer({
    servers: servers(table),
    ttlMs: options.ttlMs ?? 30_000,
    maxEntries: options.maxEntries,
    now: () => clock.now,
  });
  return { table, clock, authorizer };
}

const client = (policies: string[], expiresAtMs?: number): TokenInfo => ({
  type: 'client',
  policies,
  expiresAtMs,
});

function lifecycleIn(auth: Authorisation, namespace: string): boolean {
  return auth.kind === 'acl' && auth.acl.allowNamespaceOperation(namespace, 'alloc-lifecycle');
}

describe('TokenAuthorizer', () => {
  it("grants a client token its policies' capabilities, in their namespaces only", async () => {
    const { table, authorizer } = setup();
    table.tokens.set('s-prod', client(['lifecycle-prod', 'gone']));
    const auth = await authorizer.authorise('s-prod');
    expect(lifecycleIn(auth, 'prod')).toBe(true);
    expect(lifecycleIn(auth, 'dev')).toBe(false);
    // A policy that no longer exists grants nothing and breaks nothing.
    expect(table.calls.sort()).toEqual(['policy gone', 'policy lifecycle-prod', 'self']);
  });

  it('grants a management token everything without reading policies', async () => {
    const { table, authorizer } = setup();
    table.tokens.set('s-mgmt', { type: 'management', policies: [], expiresAtMs: undefined });
    const auth = await authorizer.authorise('s-mgmt');
    expect(auth.kind === 'acl' && auth.acl.isManagement()).toBe(true);
    expect(table.calls).toEqual(['self']);
  });

  it('denies a token the servers do not know', async () => {
    const { authorizer } = setup();
    expect(await authorizer.authorise('nobody')).toEqual({ kind: 'denied' });
  });

  it('gives the anonymous caller the `anonymous` policy, or nothing when there is none', async () => {
    const { table, authorizer, clock } = setup();
    const none = await authorizer.authorise('');
    expect(none.kind).toBe('acl');
    expect(lifecycleIn(none, 'prod')).toBe(false);
    expect(table.calls).toEqual(['policy anonymous']);
    table.policies.set('anonymous', LIFECYCLE_IN_PROD);
    clock.now += 30_000;
    expect(lifecycleIn(await authorizer.authorise(''), 'prod')).toBe(true);
  });

  it('asks the servers once per token while the answer is fresh, then again', async () => {
    const { table, authorizer, clock } = setup();
    table.tokens.set('s-prod', client(['lifecycle-prod']));
    await authorizer.authorise('s-prod');
    await authorizer.authorise('s-prod');
    expect(await authorizer.authorise('nobody')).toEqual({ kind: 'denied' });
    expect(await authorizer.authorise('nobody')).toEqual({ kind: 'denied' });
    expect(table.calls).toEqual(['self', 'policy lifecycle-prod', 'self']);
    // Revoked on the servers: still trusted for the TTL, refused once it has passed.
    table.tokens.delete('s-prod');
    clock.now += 29_999;
    expect((await authorizer.authorise('s-prod')).kind).toBe('acl');
    clock.now += 1;
    expect(await authorizer.authorise('s-prod')).toEqual({ kind: 'denied' });
  });

  it('shares one resolution between concurrent calls with the same token', async () => {
    const { table, authorizer } = setup();
    table.tokens.set('s-prod', client(['lifecycle-prod']));
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => authorizer.authorise('s-prod')),
    );
    expect(answers.every((a) => lifecycleIn(a, 'prod'))).toBe(true);
    expect(table.calls).toEqual(['self', 'policy lifecycle-prod']);
  });

  it("never trusts a token past its ExpirationTime (less two seconds' leeway)", async () => {
    const { table, authorizer, clock } = setup();
    table.tokens.set('s-short', client(['lifecycle-prod'], clock.now + 12_000));
    expect(lifecycleIn(await authorizer.authorise('s-short'), 'prod')).toBe(true);
    clock.now += 9_999;
    expect(lifecycleIn(await authorizer.authorise('s-short'), 'prod')).toBe(true);
    expect(table.calls.filter((c) => c === 'self')).toHaveLength(1);
    // Past expiry minus leeway the servers are asked again; they still list it: refused here.
    clock.now += 1;
    expect(await authorizer.authorise('s-short')).toEqual({ kind: 'denied' });
    expect(table.calls.filter((c) => c === 'self')).toHaveLength(2);
    table.tokens.set('s-gone', client(['lifecycle-prod'], clock.now + 1_500));
    expect(await authorizer.authorise('s-gone')).toEqual({ kind: 'denied' });
  });

  it('with a TTL of 0 asks the servers every time, and still grants', async () => {
    const { table, authorizer } = setup({ ttlMs: 0 });
    table.tokens.set('s-mgmt', { type: 'management', policies: [], expiresAtMs: undefined });
    table.tokens.set('s-prod', client(['lifecycle-prod']));
    for (let i = 0; i < 2; i++) {
      expect((await authorizer.authorise('s-mgmt')).kind).toBe('acl');
      expect(lifecycleIn(await authorizer.authorise('s-prod'), 'prod')).toBe(true);
    }
    expect(table.calls.filter((c) => c === 'self')).toHaveLength(4);
  });

  it('keeps at most maxEntries answers, dropping the least recently used', async () => {
    const { table, authorizer } = setup({ maxEntries: 2 });
    for (const s of ['a', 'b', 'c']) table.tokens.set(s, client([]));
    await authorizer.authorise('a');
    await authorizer.authorise('b');
    await authorizer.authorise('a'); // a is now the most recent
    await authorizer.authorise('c'); // evicts b
    table.calls.length = 0;
    await authorizer.authorise('a');
    await authorizer.authorise('c');
    expect(table.calls).toEqual([]);
    await authorizer.authorise('b');
    expect(table.calls).toEqual(['self']);
  });

  it('with ACLs off on the servers allows everything to every token, for a while', async () => {
    const { table, authorizer, clock } = setup();
    table.disabled = true;
    for (const secret of ['', 'garbage', 'x'.repeat(500)]) {
      const auth = await authorizer.authorise(secret);
      expect(auth.kind === 'acl' && auth.acl.isManagement()).toBe(true);
    }
    expect(table.calls).toEqual(['policy anonymous']);
    // ACLs turned on: believed after the TTL.
    table.disabled = false;
    clock.now += 30_000;
    expect(await authorizer.authorise('garbage')).toEqual({ kind: 'denied' });
  });

  it('says the servers cannot be reached, without the secret, and does not cache it', async () => {
    const { table, authorizer } = setup();
    table.tokens.set('s-secret-1234', client(['lifecycle-prod']));
    table.unreachable = true;
    const error = await authorizer.authorise('s-secret-1234').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AclUnavailableError);
    expect((error as Error).message).toBe(
      'ACL token could not be checked: no server could be reached',
    );
    table.unreachable = false;
    expect(lifecycleIn(await authorizer.authorise('s-secret-1234'), 'prod')).toBe(true);
  });

  it('names the status of an answer no server should give', async () => {
    const broken = new TokenAuthorizer({
      servers: {
        tokenSelf: () => Promise.reject(new ServerCallError(500, 'internal error')),
        policyRules: () => Promise.reject(new Error('not called')),
      },
    });
    await expect(broken.authorise('s')).rejects.toThrow(
      'ACL token could not be checked: a server answered 500 internal error',
    );
    const empty = new TokenAuthorizer({
      servers: {
        tokenSelf: () => Promise.reject(new ServerCallError(404, '')),
        policyRules: () => Promise.reject(new Error('not called')),
      },
    });
    await expect(empty.authorise('s')).rejects.toThrow(
      /^ACL token could not be checked: a server answered 404$/,
    );
  });

  it('parses each policy text once, off the event loop, whichever tokens hold it', async () => {
    const { table, authorizer } = setup();
    // Rules no other test parsed (the policy cache is the process's).
    const rules = `namespace "dev" { capabilities = ["alloc-lifecycle"] }\n# ${randomUUID()}\n`;
    table.policies.set('lifecycle-dev', rules);
    table.policies.set('lifecycle-dev-copy', rules);
    table.tokens.set('s-a', client(['lifecycle-dev']));
    table.tokens.set('s-b', client(['lifecycle-dev-copy']));
    const before = policyCache.stats();
    expect(lifecycleIn(await authorizer.authorise('s-a'), 'dev')).toBe(true);
    expect(lifecycleIn(await authorizer.authorise('s-b'), 'dev')).toBe(true);
    const after = policyCache.stats();
    expect({
      here: after.parsedHere - before.parsedHere,
      offThread: after.parsedOffThread - before.parsedOffThread,
    }).toEqual({ here: 0, offThread: 1 });
  });

  it('says a policy from the servers that does not parse, without the secret', async () => {
    const { table, authorizer } = setup();
    table.policies.set('broken', `namespace "dev" {\n# ${randomUUID()}\n`);
    table.tokens.set('s-broken', client(['broken']));
    await expect(authorizer.authorise('s-broken')).rejects.toThrow(
      new AclUnavailableError(
        'ACL token could not be checked: policy "broken" from the servers does not parse',
      ),
    );
  });
});
