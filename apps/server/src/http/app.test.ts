// The HTTP layer every endpoint shares: routing of unknown paths, error bodies, pretty printing,
// compression and the answer to an unexpected fault.
import { gunzipSync, inflateSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ClientRpc } from '../nodes/client-rpc.js';
import { startTestServer, seed, type TestServer } from '../test-support/harness.js';
import { mockAlloc, mockNode } from '../test-support/mock.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

describe('paths', () => {
  test.each(['/v1/nope', '/v1/allocations/', '/v1/allocations/x', '/v2/allocations'])(
    '%s is an empty 404',
    async (url) => {
      const res = await server.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.body).toBe('');
    },
  );

  test.each([
    '/v1/allocation/a8198d79-cfdb-6593-a999-1e9adabcba2e/',
    '/v1/allocation/a8198d79-cfdb-6593-a999-1e9adabcba2e/nope',
    '/v1/allocation/a8198d79-cfdb-6593-a999-1e9adabcba2e/stop/x',
    '/v1/client/allocation/a8198d79-cfdb-6593-a999-1e9adabcba2e',
    '/v1/client/allocation/a8198d79-cfdb-6593-a999-1e9adabcba2e/nope',
  ])('%s is a bad sub-path of a known resource', async (url) => {
    const res = await server.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(404);
    expect(res.body).toBe('resource not found');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  test('/ redirects to the UI and /v1/allocation to its subtree, keeping the query', async () => {
    const root = await server.inject({ method: 'GET', url: '/?x=1' });
    expect(root.statusCode).toBe(307);
    expect(root.headers.location).toBe('/ui/?x=1');
    const bare = await server.inject({ method: 'GET', url: '/v1/allocation' });
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/v1/allocation/');
  });
});

describe('responses', () => {
  test('pretty indents by four spaces and ends with a newline; pretty=0 does not', async () => {
    const alloc = mockAlloc();
    await seed(server.store, { allocs: [alloc] });
    const pretty = await server.inject({ method: 'GET', url: `/v1/allocation/${alloc.ID}?pretty` });
    expect(pretty.body.startsWith('{\n    "ID": ')).toBe(true);
    expect(pretty.body.endsWith('}\n')).toBe(true);
    const compact = await server.inject({
      method: 'GET',
      url: `/v1/allocation/${alloc.ID}?pretty=0`,
    });
    expect(compact.body.startsWith('{"ID":')).toBe(true);
    expect(compact.body.endsWith('}')).toBe(true);
  });

  test('answers are compressed when asked, with the first of gzip and deflate listed', async () => {
    const alloc = mockAlloc();
    await seed(server.store, { allocs: [alloc] });
    const plain = await server.inject({ method: 'GET', url: '/v1/allocations' });
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gz = await server.inject({
      method: 'GET',
      url: '/v1/allocations',
      headers: { 'accept-encoding': 'br, gzip, deflate' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
    const deflated = await server.inject({
      method: 'GET',
      url: '/v1/allocations',
      headers: { 'accept-encoding': 'deflate, gzip' },
    });
    expect(deflated.headers['content-encoding']).toBe('deflate');
    expect(inflateSync(deflated.rawPayload).toString()).toBe(plain.body);
  });

  test('an unexpected fault is a 500 that names the request and hides the cause', async () => {
    const failing: ClientRpc = {
      signal: () => Promise.reject(new Error('secret internals')),
      restart: () => Promise.reject(new Error('secret internals')),
    };
    await server.close();
    server = await startTestServer({ clientRpc: failing });
    const node = mockNode();
    const alloc = mockAlloc({ NodeID: node.ID });
    await seed(server.store, { nodes: [node], allocs: [alloc] });
    const res = await server.inject({
      method: 'POST',
      url: `/v1/client/allocation/${alloc.ID}/signal`,
      payload: '{"Signal":"SIGHUP"}',
    });
    expect(res.statusCode).toBe(500);
    expect(res.body).toMatch(/^internal error \(request id [0-9a-f-]{36}\)$/);
    expect(res.body).not.toContain('secret');
  });
});
