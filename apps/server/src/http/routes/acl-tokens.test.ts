import { multiError, type AclToken, type Node } from '@berth/contract';
import type { BerthClient } from '@berth/client';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/harness.js';
import { failure } from '../../test-support/api-failure.js';
import { mockNode } from '../../test-support/mock.js';

let server: TestServer;
let root: AclToken;
let admin: BerthClient;

beforeEach(async () => {
  server = await startTestServer({ aclEnabled: true });
  root = (await server.client.acl.bootstrap()).data;
  admin = server.clientFor({ token: root.SecretID });
});
afterEach(() => server.close());

const invalid = (...errors: string[]) => `token 0 invalid: ${multiError(errors)}`;
const MISSING = '00000000-0000-4000-8000-000000000000';

async function clientToken(name = 'dev', policies = ['readonly']): Promise<AclToken> {
  return (await admin.acl.tokenCreate({ Name: name, Type: 'client', Policies: policies })).data;
}

/** A token stored as it would be if it had been created with a TTL that has run out. */
async function expiredToken(): Promise<AclToken> {
  const token = await clientToken('expired');
  const gone: AclToken = { ...token, ExpirationTime: new Date(Date.now() - 1000).toISOString() };
  await server.store.write((tx) => tx.upsertAclToken(gone));
  return gone;
}

describe('ACL tokens: create and update', () => {
  test('create answers the stored token with a fresh accessor, secret and times', async () => {
    const { data: token, meta } = await admin.acl.tokenCreate({
      Name: 'deploy',
      Type: 'client',
      Policies: ['deploy', 'readonly'],
    });
    expect(token).toMatchObject({
      Name: 'deploy',
      Type: 'client',
      Policies: ['deploy', 'readonly'],
      Roles: null,
      Global: false,
      ExpirationTime: null,
      ExpirationTTL: '',
      CreateIndex: meta.lastIndex,
      ModifyIndex: meta.lastIndex,
    });
    expect(token.SecretID).not.toBe(root.SecretID);
    expect(token.Hash).not.toBe(root.Hash);
    expect((await admin.acl.tokenInfo(token.AccessorID)).data).toEqual(token);
    // The new secret authenticates (policies need not exist yet, as in Nomad).
    const self = await server.clientFor({ token: token.SecretID }).acl.tokenSelf();
    expect(self.data).toEqual(token);
    expect(self.meta.lastIndex).toBe(token.ModifyIndex);
  });

  test('a TTL sets the expiration time from the create time', async () => {
    const { data } = await admin.acl.tokenCreate({
      Type: 'management',
      ExpirationTTL: '1h30m',
    });
    expect(data.ExpirationTTL).toBe('1h30m0s');
    expect(Date.parse(data.ExpirationTime!) - Date.parse(data.CreateTime!)).toBe(90 * 60_000);
  });

  test("Nomad's validation texts, every problem in one answer", async () => {
    const cases: [Parameters<typeof admin.acl.tokenCreate>[0], string][] = [
      [{ Type: 'client' }, invalid('client token missing policies or roles')],
      [
        { Type: 'management', Policies: ['x'] },
        invalid('management token cannot be associated with policies or roles'),
      ],
      [
        { Name: 'n'.repeat(257), Type: 'root' },
        invalid('token name too long', 'token type must be client or management'),
      ],
      [
        { Type: 'management', ExpirationTTL: '-1h' },
        invalid(
          "token expiration TTL '-1h0m0s' should not be negative",
          'expiration time cannot be before create time',
          'expiration time cannot be less than 1m0s in the future (was -1h0m0s)',
        ),
      ],
      [
        { Type: 'management', ExpirationTTL: '30s' },
        invalid('expiration time cannot be less than 1m0s in the future (was 30s)'),
      ],
      [
        { Type: 'management', ExpirationTTL: '25h' },
        invalid('expiration time cannot be more than 24h0m0s in the future (was 25h0m0s)'),
      ],
      [{ Type: 'client', Roles: [{ Name: 'ops' }] }, 'cannot find role ops'],
    ];
    for (const [body, text] of cases) {
      const error = await failure(admin.acl.tokenCreate(body));
      expect([error.status, error.message]).toEqual([400, text]);
    }
    const past = await failure(
      admin.acl.tokenCreate({ Type: 'management', ExpirationTime: '2020-01-01T00:00:00Z' }),
    );
    expect(past.message).toMatch(
      /^token 0 invalid: 2 errors occurred:\n\t\* expiration time cannot be before create time\n\t\* expiration time cannot be less than 1m0s in the future \(was -\d+h\d+m[\d.]+s\)\n\n$/,
    );
    expect(server.store.aclTokens('')).toHaveLength(1);
  });

  test('update keeps the accessor, secret and create time, and may rename or re-type', async () => {
    const token = await clientToken();
    const { data: updated, meta } = await admin.acl.tokenUpdate({
      AccessorID: token.AccessorID,
      Name: 'renamed',
      Type: 'client',
      Policies: ['other'],
    });
    expect(updated).toMatchObject({
      AccessorID: token.AccessorID,
      SecretID: token.SecretID,
      CreateTime: token.CreateTime,
      CreateIndex: token.CreateIndex,
      ModifyIndex: meta.lastIndex,
      Name: 'renamed',
      Policies: ['other'],
    });
    expect(updated.Hash).not.toBe(token.Hash);
    // Nomad's Validate does not look at the type: a client token may become management.
    const promoted = await admin.acl.tokenUpdate({
      AccessorID: token.AccessorID,
      Type: 'management',
    });
    expect(promoted.data.Type).toBe('management');
  });

  test('update refuses to toggle Global or change the expiry; an update without it keeps it', async () => {
    const { data: token } = await admin.acl.tokenCreate({
      Type: 'client',
      Policies: ['p'],
      ExpirationTTL: '2h',
    });
    const toggled = await failure(
      admin.acl.tokenUpdate({
        AccessorID: token.AccessorID,
        Type: 'client',
        Policies: ['p'],
        Global: true,
        ExpirationTTL: '2h',
      }),
    );
    expect(toggled.message).toBe(invalid('cannot toggle global mode'));
    const ttl = await failure(
      admin.acl.tokenUpdate({ AccessorID: token.AccessorID, Type: 'client', Policies: ['p'] }),
    );
    expect(ttl.message).toBe(invalid('cannot update expiration TTL'));
    const time = await failure(
      admin.acl.tokenUpdate({
        AccessorID: token.AccessorID,
        Type: 'client',
        Policies: ['p'],
        ExpirationTTL: '2h',
        ExpirationTime: '2099-01-01T00:00:00Z',
      }),
    );
    expect(time.message).toBe(invalid('cannot update expiration time'));

    const kept = await admin.acl.tokenUpdate({
      AccessorID: token.AccessorID,
      Name: 'kept',
      Type: 'client',
      Policies: ['p'],
      ExpirationTTL: '2h',
    });
    expect(kept.data.ExpirationTime).toBe(token.ExpirationTime);
    const same = await admin.acl.tokenUpdate({
      AccessorID: token.AccessorID,
      Type: 'client',
      Policies: ['p'],
      ExpirationTTL: '2h',
      ExpirationTime: token.ExpirationTime,
    });
    expect(same.data.ExpirationTime).toBe(token.ExpirationTime);
  });

  test('update of an unknown, malformed or mismatched accessor', async () => {
    const unknown = await failure(
      admin.acl.tokenUpdate({ AccessorID: MISSING, Type: 'management' }),
    );
    expect([unknown.status, unknown.message]).toEqual([400, `cannot find token ${MISSING}`]);
    const malformed = await failure(
      admin.acl.tokenUpdate({ AccessorID: 'abc', Type: 'management' }),
    );
    expect([malformed.status, malformed.message]).toEqual([
      400,
      'token lookup failed: acl token lookup failed: index error: UUID must be 36 characters',
    ]);
    const mismatch = await server.inject({
      method: 'PUT',
      url: `/v1/acl/token/${root.AccessorID}`,
      headers: { 'x-nomad-token': root.SecretID },
      payload: { AccessorID: MISSING, Type: 'management' },
    });
    expect([mismatch.statusCode, mismatch.body]).toEqual([
      400,
      'ACL token accessor does not match request path',
    ]);
    // POST works as PUT; the upper-case form of an accessor finds the token.
    const post = await server.inject({
      method: 'POST',
      url: `/v1/acl/token/${root.AccessorID.toUpperCase()}`,
      headers: { 'x-nomad-token': root.SecretID },
      payload: { AccessorID: root.AccessorID.toUpperCase(), Type: 'management', Global: true },
    });
    expect(post.statusCode).toBe(200);
    expect(JSON.parse(post.body)).toMatchObject({ AccessorID: root.AccessorID });
  });

  test('a token path without an accessor is a 400 for every method', async () => {
    for (const method of ['GET', 'PUT', 'POST', 'DELETE'] as const) {
      const res = await server.inject({
        method,
        url: '/v1/acl/token/',
        headers: { 'x-nomad-token': root.SecretID },
        ...(method === 'PUT' || method === 'POST' ? { payload: { Type: 'management' } } : {}),
      });
      expect([res.statusCode, res.body]).toEqual([400, 'Missing Token Accessor']);
    }
  });

  test('only a management token writes tokens', async () => {
    const dev = await clientToken();
    for (const client of [server.client, server.clientFor({ token: dev.SecretID })]) {
      for (const call of [
        () => client.acl.tokenCreate({ Type: 'management' }),
        () => client.acl.tokenUpdate({ AccessorID: dev.AccessorID, Type: 'management' }),
        () => client.acl.tokenDelete(dev.AccessorID),
        () => client.acl.tokens(),
      ]) {
        const error = await failure(call());
        expect([error.status, error.message]).toEqual([403, 'Permission denied']);
      }
    }
    expect((await admin.acl.tokenInfo(dev.AccessorID)).data.Type).toBe('client');
  });
});

describe('ACL tokens: read, list, delete, self', () => {
  test('management reads any token; another token only itself', async () => {
    const a = await clientToken('a');
    const b = await clientToken('b');
    const asA = server.clientFor({ token: a.SecretID });
    expect((await asA.acl.tokenInfo(a.AccessorID)).data).toEqual(a);
    const other = await failure(asA.acl.tokenInfo(b.AccessorID));
    expect([other.status, other.message]).toEqual([403, 'Permission denied']);
    const missingForA = await failure(asA.acl.tokenInfo(MISSING));
    expect(missingForA.status).toBe(403);
    const anonymous = await failure(server.client.acl.tokenInfo(a.AccessorID));
    expect(anonymous.status).toBe(403);

    const missing = await failure(admin.acl.tokenInfo(MISSING));
    expect([missing.status, missing.message]).toEqual([404, 'ACL token not found']);
    const malformed = await failure(admin.acl.tokenInfo('abc'));
    expect([malformed.status, malformed.message]).toEqual([
      400,
      'acl token lookup failed: index error: UUID must be 36 characters',
    ]);
  });

  test('the list shows stubs without secrets, by creation, by prefix, paged and filtered', async () => {
    const a = await clientToken('a');
    const b = await clientToken('b');
    const { data, meta } = await admin.acl.tokens();
    expect(data.map((t) => t.AccessorID)).toEqual([root.AccessorID, a.AccessorID, b.AccessorID]);
    expect(meta.lastIndex).toBe(b.ModifyIndex);
    for (const stub of data) {
      expect(stub).not.toHaveProperty('SecretID');
      expect(stub).not.toHaveProperty('ExpirationTTL');
    }
    expect(data[1]).toEqual({
      AccessorID: a.AccessorID,
      Name: 'a',
      Type: 'client',
      Policies: ['readonly'],
      Roles: null,
      Global: false,
      Hash: a.Hash,
      CreateTime: a.CreateTime,
      ExpirationTime: null,
      CreateIndex: a.CreateIndex,
      ModifyIndex: a.ModifyIndex,
    });

    const prefix = b.AccessorID.slice(0, 8);
    expect((await admin.acl.tokens({ prefix })).data.map((t) => t.AccessorID)).toEqual([
      b.AccessorID,
    ]);
    const page1 = await admin.acl.tokens({ per_page: 2 });
    expect(page1.data.map((t) => t.Name)).toEqual(['Bootstrap Token', 'a']);
    expect(page1.meta.nextToken).toBe(`${b.CreateIndex}.${b.AccessorID}`);
    const page2 = await admin.acl.tokens({ per_page: 2, next_token: page1.meta.nextToken });
    expect(page2.data.map((t) => t.Name)).toEqual(['b']);
    expect((await admin.acl.tokens({ reverse: true })).data.map((t) => t.Name)).toEqual([
      'b',
      'a',
      'Bootstrap Token',
    ]);
    expect((await admin.acl.tokens({ filter: 'Type == "client"' })).data).toHaveLength(2);
    // As in Nomad, the filter sees the whole token; the answer still holds no secret.
    const bySecret = await admin.acl.tokens({ filter: `SecretID == "${a.SecretID}"` });
    expect(bySecret.data).toEqual([data[1]]);

    const bad = await failure(admin.acl.tokens({ prefix: 'abc' }));
    expect([bad.status, bad.message]).toEqual([
      400,
      'acl token lookup failed: index error: Input (without hyphens) must be even length',
    ]);
  });

  test('delete removes a token, which no longer authenticates; a missing one is a 400', async () => {
    const dev = await clientToken();
    const { meta } = await admin.acl.tokenDelete(dev.AccessorID);
    expect(meta.lastIndex).toBeGreaterThan(dev.ModifyIndex);
    const self = await failure(server.clientFor({ token: dev.SecretID }).acl.tokenSelf());
    expect([self.status, self.message]).toEqual([403, 'Permission denied']);
    const again = await failure(admin.acl.tokenDelete(dev.AccessorID));
    expect([again.status, again.message]).toEqual([
      400,
      `Cannot delete nonexistent tokens: ${dev.AccessorID}`,
    ]);
    const malformed = await failure(admin.acl.tokenDelete('abc'));
    expect(malformed.message).toBe(
      'token lookup failed: acl token lookup failed: index error: UUID must be 36 characters',
    );
  });

  test('self: the anonymous token without a secret, 404 for a node secret, 403 otherwise', async () => {
    const anonymous = await server.client.acl.tokenSelf();
    expect(anonymous.data).toMatchObject({
      AccessorID: 'anonymous',
      Name: 'Anonymous Token',
      Type: 'client',
      Policies: ['anonymous'],
      SecretID: '',
    });
    const secret = '5ec00000-0000-4000-8000-0000000000aa';
    const node = { ...mockNode(), SecretID: secret } as Node;
    await server.store.write((tx) => tx.upsertNode(node));
    const asNode = await failure(server.clientFor({ token: secret }).acl.tokenSelf());
    expect([asNode.status, asNode.message]).toEqual([404, 'ACL token not found']);
    for (const token of [MISSING, 'not-a-uuid']) {
      const error = await failure(server.clientFor({ token }).acl.tokenSelf());
      expect([error.status, error.message]).toEqual([403, 'Permission denied']);
    }
  });

  test('an expired token is refused everywhere with 403 Permission denied', async () => {
    const expired = await expiredToken();
    const asExpired = server.clientFor({ token: expired.SecretID });
    for (const call of [
      () => asExpired.acl.tokenSelf(),
      () => asExpired.acl.tokenInfo(expired.AccessorID),
      () => asExpired.acl.policies(),
      () => asExpired.acl.policyInfo('anonymous'),
      () => asExpired.acl.tokens(),
    ]) {
      const error = await failure(call());
      expect([error.status, error.message]).toEqual([403, 'Permission denied']);
    }
    // Still listed for management, until deleted.
    expect((await admin.acl.tokenInfo(expired.AccessorID)).data.ExpirationTime).toBe(
      expired.ExpirationTime,
    );
  });
});

describe('ACL tokens: blocking queries', () => {
  test('a blocking list returns after a token is written', async () => {
    const { meta } = await admin.acl.tokens();
    const started = Date.now();
    const waiting = admin.acl.tokens({ index: meta.lastIndex, wait: '10s' });
    setTimeout(() => void clientToken('late'), 100);
    const { data, meta: after } = await waiting;
    expect(after.lastIndex).toBeGreaterThan(meta.lastIndex);
    expect(data.map((t) => t.Name)).toContain('late');
    expect(Date.now() - started).toBeLessThan(9_000);
  });

  test('a blocking read of its own token ends with 403 when the token is deleted', async () => {
    const dev = await clientToken();
    const asDev = server.clientFor({ token: dev.SecretID });
    const started = Date.now();
    const waiting = failure(
      asDev.acl.tokenInfo(dev.AccessorID, { index: dev.ModifyIndex, wait: '10s' }),
    );
    setTimeout(() => void admin.acl.tokenDelete(dev.AccessorID), 100);
    const error = await waiting;
    expect([error.status, error.message]).toEqual([403, 'Permission denied']);
    expect(Date.now() - started).toBeLessThan(9_000);
  });

  test('a blocking read returns when the token is updated', async () => {
    const dev = await clientToken();
    const waiting = admin.acl.tokenInfo(dev.AccessorID, { index: dev.ModifyIndex, wait: '10s' });
    setTimeout(
      () =>
        void admin.acl.tokenUpdate({
          AccessorID: dev.AccessorID,
          Name: 'updated',
          Type: 'client',
          Policies: ['readonly'],
        }),
      100,
    );
    const { data } = await waiting;
    expect(data.Name).toBe('updated');
  });
});
