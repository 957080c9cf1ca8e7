// Request bodies nested deeper than Go's encoding/json decodes are refused before JSON.parse reads
// them, with Go's text in the route's own words for a malformed body; up to that depth a body is
// read as JSON and refused (or not) for what it holds.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/harness.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const TEXT = 'text/plain; charset=utf-8';
const TOO_DEEP = "invalid character '[' exceeded max depth";
const ALLOC_ID = '5ee5c1ba-0f4c-4c27-a1b0-1b9d8a2d4c3e';

/** `{"Job": <arrays>}`: the object is one level, so the whole body nests `arrays + 1` deep. */
const jobNested = (depth: number) => `{"Job":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;

describe('nesting depth', () => {
  test('a job body 10,000 levels deep is read as JSON and refused for what it holds', async () => {
    const res = await server.inject({ method: 'PUT', url: '/v1/jobs', payload: jobNested(10_000) });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe(TEXT);
    expect(res.body).not.toContain('exceeded max depth');
    expect(res.body).toMatch(/cannot unmarshal array/);
  });

  test('a job body 10,001 levels deep is Go’s depth error, bare as the job handlers answer', async () => {
    const before = server.store.latestIndex();
    const res = await server.inject({ method: 'PUT', url: '/v1/jobs', payload: jobNested(10_001) });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe(TEXT);
    expect(res.body).toBe(TOO_DEEP);
    expect(server.store.latestIndex()).toBe(before);
  });

  test('an allocation signal body too deep is prefixed as its other decode errors', async () => {
    const res = await server.inject({
      method: 'POST',
      url: `/v1/client/allocation/${ALLOC_ID}/signal`,
      payload: '['.repeat(10_001),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe(`Failed to decode body: ${TOO_DEEP}`);
  });

  test('a megabyte of opening brackets is refused, and the server answers on', async () => {
    const res = await server.inject({
      method: 'PUT',
      url: '/v1/jobs',
      payload: '['.repeat(1_000_000),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe(TOO_DEEP);
    expect((await server.inject({ method: 'GET', url: '/v1/jobs' })).statusCode).toBe(200);
  });
});

// Nomad's ACL handlers decode a policy or token body with decodeBody (no body: `Request body is
// empty`; Go's decoder text bare), and a bootstrap body only when one is sent, its errors after
// `failed to decode request body: `. All before the RPC: before any token or ACL check.
describe('ACL bodies', () => {
  let acl: TestServer;
  beforeEach(async () => {
    acl = await startTestServer({ aclEnabled: true });
  });
  afterEach(() => acl.close());

  const BROKEN: [string, string][] = [
    ['', 'Request body is empty'],
    ['  \n', 'EOF'],
    ['{"Name":', 'unexpected EOF'],
    ['x', "invalid character 'x' looking for beginning of value"],
  ];

  const writes = [
    ['PUT', '/v1/acl/policy/readonly'],
    ['POST', '/v1/acl/policy/readonly'],
    ['PUT', '/v1/acl/token'],
    ['POST', '/v1/acl/token'],
    ['PUT', '/v1/acl/token/5ee5c1ba-0f4c-4c27-a1b0-1b9d8a2d4c3e'],
    ['POST', '/v1/acl/token/5ee5c1ba-0f4c-4c27-a1b0-1b9d8a2d4c3e'],
  ] as const;

  test.each(writes)(
    '%s %s: a missing, blank or broken body is Go’s bare text',
    async (method, url) => {
      const root = (await acl.client.acl.bootstrap()).data;
      const before = acl.store.latestIndex();
      for (const token of [root.SecretID, undefined]) {
        for (const [payload, text] of BROKEN) {
          const res = await acl.inject({
            method,
            url,
            payload,
            headers: {
              'content-type': 'application/json',
              ...(token && { 'x-nomad-token': token }),
            },
          });
          expect([res.statusCode, res.headers['content-type'], res.body]).toEqual([
            400,
            TEXT,
            text,
          ]);
        }
      }
      expect(acl.store.latestIndex()).toBe(before);
    },
  );

  test('bootstrap: no body is an empty request; a blank or broken one is refused, prefixed', async () => {
    const before = acl.store.latestIndex();
    for (const [payload, text] of BROKEN.slice(1)) {
      const res = await acl.inject({ method: 'PUT', url: '/v1/acl/bootstrap', payload });
      expect([res.statusCode, res.headers['content-type'], res.body]).toEqual([
        400,
        TEXT,
        `failed to decode request body: ${text}`,
      ]);
    }
    // Nothing was bootstrapped by the refused calls.
    expect(acl.store.latestIndex()).toBe(before);
    const res = await acl.inject({
      method: 'POST',
      url: '/v1/acl/bootstrap',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ Type: 'management', Name: 'Bootstrap Token' });
  });

  test('bootstrap: a body of null decodes to an empty request', async () => {
    const res = await acl.inject({ method: 'PUT', url: '/v1/acl/bootstrap', payload: 'null' });
    expect(res.statusCode).toBe(200);
  });

  test('a policy delete ignores its body, however broken', async () => {
    const root = (await acl.client.acl.bootstrap()).data;
    const res = await acl.inject({
      method: 'DELETE',
      url: '/v1/acl/policy/readonly',
      payload: '{"Name":',
      headers: { 'x-nomad-token': root.SecretID },
    });
    expect([res.statusCode, res.body]).toEqual([200, '']);
  });
});
