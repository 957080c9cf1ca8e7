// Nomad's one-time token paths, which berth does not serve: never read as the token accessor
// `onetime`, POST and PUT answer 404 with a text naming the missing feature, other methods 405.
import type { AclToken } from '@berth/contract';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/harness.js';

const TEXT = 'text/plain; charset=utf-8';
const UNSUPPORTED = 'one-time tokens are not supported by berth';
const PATHS = ['/v1/acl/token/onetime', '/v1/acl/token/onetime/exchange'];

describe('one-time token paths with ACLs on', () => {
  let server: TestServer;
  let root: AclToken;
  beforeEach(async () => {
    server = await startTestServer({ aclEnabled: true });
    root = (await server.client.acl.bootstrap()).data;
  });
  afterEach(() => server.close());

  test.each(PATHS)('POST and PUT %s answer 404 and change nothing', async (url) => {
    const before = server.store.latestIndex();
    // Bodies a token update would act on, were the path read as the accessor `onetime`.
    const bodies = [undefined, '', JSON.stringify({ AccessorID: 'onetime', Type: 'management' })];
    for (const method of ['POST', 'PUT'] as const) {
      for (const payload of bodies) {
        for (const token of [root.SecretID, undefined]) {
          const res = await server.inject({
            method,
            url,
            payload,
            headers: token ? { 'x-nomad-token': token } : {},
          });
          expect([res.statusCode, res.headers['content-type'], res.body]).toEqual([
            404,
            TEXT,
            UNSUPPORTED,
          ]);
        }
      }
    }
    expect(server.store.latestIndex()).toBe(before);
    expect((await server.clientFor({ token: root.SecretID }).acl.tokens()).data).toHaveLength(1);
  });

  test.each(PATHS)(
    'other methods on %s answer 405, the GET and DELETE of a token included',
    async (url) => {
      for (const method of ['GET', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND'] as const) {
        const res = await server.inject({
          method,
          url,
          headers: { 'x-nomad-token': root.SecretID },
        });
        expect([method, res.statusCode, res.body]).toEqual([method, 405, 'Invalid method']);
      }
      const head = await server.inject({ method: 'HEAD', url });
      expect(head.statusCode).toBe(405);
    },
  );

  test('the body is never read: one too large for the server is still the 404', async () => {
    const res = await server.inject({
      method: 'POST',
      url: '/v1/acl/token/onetime/exchange',
      payload: JSON.stringify({ OneTimeSecretID: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect([res.statusCode, res.body]).toEqual([404, UNSUPPORTED]);
  });

  test('a token accessor route is unchanged beside them', async () => {
    const res = await server.inject({
      method: 'GET',
      url: `/v1/acl/token/${root.AccessorID}`,
      headers: { 'x-nomad-token': root.SecretID },
    });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ AccessorID: root.AccessorID });
  });
});

test('with ACLs off the paths answer the same', async () => {
  const server = await startTestServer();
  try {
    const res = await server.inject({ method: 'PUT', url: '/v1/acl/token/onetime' });
    expect([res.statusCode, res.body]).toEqual([404, UNSUPPORTED]);
    const get = await server.inject({ method: 'GET', url: '/v1/acl/token/onetime/exchange' });
    expect([get.statusCode, get.body]).toEqual([405, 'Invalid method']);
  } finally {
    await server.close();
  }
});
