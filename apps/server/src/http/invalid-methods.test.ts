// 405s on the ACL API's static `self` paths: Nomad's handlers take only GET there, so a write sent
// to them must never reach the token or policy routes as the accessor or name `self`.
import type { AclToken } from '@berth/contract';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/harness.js';

let server: TestServer;
let root: AclToken;
beforeEach(async () => {
  server = await startTestServer({ aclEnabled: true });
  root = (await server.client.acl.bootstrap()).data;
});
afterEach(() => server.close());

/** What the ACL tables hold, to check that a refused call changed nothing. */
async function aclState() {
  const admin = server.clientFor({ token: root.SecretID });
  return {
    index: server.store.latestIndex(),
    tokens: (await admin.acl.tokens()).data,
    self: (await admin.acl.tokenSelf()).data,
    policies: (await admin.acl.policies()).data,
  };
}

describe('token self takes only GET', () => {
  // The path as sent, and percent-encoded as Go's mux decodes it before matching.
  test.each(['/v1/acl/token/self', '/v1/acl/token/%73elf'])(
    'POST, PUT and DELETE %s answer 405 Invalid method and change nothing',
    async (url) => {
      const before = await aclState();
      // A body that would update the caller's own token, were `self` read as its accessor.
      const update = JSON.stringify({ AccessorID: 'self', Name: 'renamed', Type: 'management' });
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'] as const) {
        const res = await server.inject({
          method,
          url,
          payload: method === 'DELETE' ? undefined : update,
          headers: { 'x-nomad-token': root.SecretID, 'content-type': 'application/json' },
        });
        expect([method, res.statusCode, res.headers['content-type'], res.body]).toEqual([
          method,
          405,
          'text/plain; charset=utf-8',
          'Invalid method',
        ]);
      }
      expect(await aclState()).toEqual(before);
    },
  );

  test('GET answers the caller', async () => {
    const res = await server.inject({
      method: 'GET',
      url: '/v1/acl/token/self',
      headers: { 'x-nomad-token': root.SecretID },
    });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ AccessorID: root.AccessorID, Name: root.Name });
  });
});
