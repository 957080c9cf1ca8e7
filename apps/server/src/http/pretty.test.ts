// `?pretty` changes how a success's JSON is written (four-space indent and a trailing newline) and
// nothing else: an error body is the message alone as text/plain, pretty or not, as Nomad's agent
// writes it; an empty write answer stays empty.
import { gunzipSync } from 'node:zlib';
import { ErrorText } from '@berth/contract';
import type { BerthClient } from '@berth/client';
import Fastify, { type InjectOptions } from 'fastify';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { storeAclResolver } from '../acl/store-resolver.js';
import type { ClientRpc } from '../nodes/client-rpc.js';
import { openStateStore } from '../state/index.js';
import { registerErrorHandling } from './errors.js';
import { registerPretty } from './pretty.js';
import { seed, startTestServer, type TestServer } from '../test-support/harness.js';
import { mockAlloc, mockNode } from '../test-support/mock.js';

const TEXT = 'text/plain; charset=utf-8';
const PRETTY = ['pretty', 'pretty=1', 'pretty=true', 'pretty='];
const UNKNOWN_ALLOC = 'a8198d79-cfdb-6593-a999-1e9adabcba2e';

let server: TestServer;
let secret: string;
let admin: BerthClient;

beforeEach(async () => {
  // ACLs on, as `berth agent --acl` runs them: the real resolver over the server's own store.
  const store = openStateStore({ inMemory: true, freeze: true });
  server = await startTestServer({ store, aclEnabled: true, acl: storeAclResolver(store) });
  secret = (await server.client.acl.bootstrap()).data.SecretID;
  admin = server.clientFor({ token: secret });
});
afterEach(() => server.close());

/** `url` with `query` added to its query string. */
const withQuery = (url: string, query: string) => `${url}${url.includes('?') ? '&' : '?'}${query}`;

/** A request as the management token, another secret, or no one (`token: null`). */
function call(
  options: InjectOptions & { url: string },
  token: string | null = secret,
): Promise<Awaited<ReturnType<TestServer['inject']>>> {
  const headers = { ...(token === null ? {} : { 'x-nomad-token': token }), ...options.headers };
  return server.inject({ ...options, headers });
}

interface ErrorCase {
  name: string;
  request: InjectOptions & { url: string };
  /** The caller's secret: the management token's when not given, no token when null. */
  token?: string | null;
  status: number;
  message: string;
}

const errorCases: ErrorCase[] = [
  {
    name: 'a missing ACL policy (404 from the route)',
    request: { method: 'GET', url: '/v1/acl/policy/nope' },
    status: 404,
    message: ErrorText.AclPolicyNotFound,
  },
  {
    name: 'a missing allocation (404 from the endpoint)',
    request: { method: 'GET', url: `/v1/allocation/${UNKNOWN_ALLOC}` },
    status: 404,
    message: ErrorText.AllocNotFound,
  },
  {
    name: 'a bad sub-path (404 from the not-found handler)',
    request: { method: 'GET', url: `/v1/allocation/${UNKNOWN_ALLOC}/nope` },
    status: 404,
    message: ErrorText.ResourceNotFound,
  },
  {
    name: 'a bad index (400 from the query validation)',
    request: { method: 'GET', url: '/v1/allocations?index=abc' },
    status: 400,
    message: ErrorText.InvalidIndex,
  },
  {
    name: 'an anonymous list (403 from the ACL check)',
    request: { method: 'GET', url: '/v1/allocations' },
    token: null,
    status: 403,
    message: ErrorText.PermissionDenied,
  },
  {
    name: 'an unknown token (403 from authentication)',
    request: { method: 'GET', url: '/v1/allocations' },
    token: '3f0d5b8e-2d4c-4f7a-9a51-7c2e9b1d6a40',
    status: 403,
    message: ErrorText.PermissionDenied,
  },
  {
    name: 'a write from a foreign origin (403 before any route)',
    request: {
      method: 'DELETE',
      url: '/v1/acl/policy/x',
      headers: { origin: 'https://elsewhere.example' },
    },
    status: 403,
    message: ErrorText.PermissionDenied,
  },
  {
    name: 'a wrong method (405)',
    request: { method: 'DELETE', url: '/v1/allocations' },
    status: 405,
    message: ErrorText.InvalidMethod,
  },
  {
    name: 'a content type that is not a media type (415 from the framework)',
    request: {
      method: 'PUT',
      url: '/v1/acl/policy/x',
      headers: { 'content-type': 'foo' },
      payload: '{"Rules":""}',
    },
    status: 415,
    message: 'Unsupported Media Type: Content-Type "foo" is not a media type',
  },
];

describe('?pretty on an error', () => {
  for (const { name, request, token, status, message } of errorCases) {
    test.each(PRETTY)(`${name}: with ?%s the body is the message alone`, async (query) => {
      const res = await call(
        { ...request, url: withQuery(request.url, query) },
        token === undefined ? secret : token,
      );
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toBe(TEXT);
      expect(res.body).toBe(message);
    });
  }

  test('a gzipped error is the message alone too', async () => {
    const res = await call({
      method: 'GET',
      url: '/v1/acl/policy/nope?pretty',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.rawPayload).toString()).toBe(ErrorText.AclPolicyNotFound);
  });

  test('a success that fails to encode after the pretty serializer was chosen is a raw 500', async () => {
    // The real hooks on a bare app: no route of berth answers a value JSON cannot encode.
    const app = Fastify();
    registerErrorHandling(app);
    registerPretty(app);
    app.get('/unencodable', () => ({ Count: 1n }));
    try {
      for (const query of PRETTY) {
        const res = await app.inject({ method: 'GET', url: `/unencodable?${query}` });
        expect(res.statusCode).toBe(500);
        expect(res.headers['content-type']).toBe(TEXT);
        expect(res.body).toMatch(/^internal error \(request id [^)]+\)$/);
      }
    } finally {
      await app.close();
    }
  });

  test('an unexpected fault is the raw `internal error` text', async () => {
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
      url: `/v1/client/allocation/${alloc.ID}/signal?pretty`,
      payload: '{"Signal":"SIGHUP"}',
    });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toBe(TEXT);
    expect(res.body).toMatch(/^internal error \(request id [0-9a-f-]{36}\)$/);
  });
});

/** The body Nomad's agent writes for `value` with `?pretty`. */
const pretty = (value: unknown) => `${JSON.stringify(value, null, 4)}\n`;

describe('?pretty on a success', () => {
  const reads = [
    ['a read of one object', () => `/v1/allocation/${seeded.ID}`],
    ['a list', () => '/v1/allocations'],
    ['a list of ACL policies', () => '/v1/acl/policies'],
    ['the caller’s own token', () => '/v1/acl/token/self'],
    ['a read of a node', () => `/v1/node/${seededNode.ID}`],
  ] as const;
  let seeded: ReturnType<typeof mockAlloc>;
  let seededNode: ReturnType<typeof mockNode>;
  beforeEach(async () => {
    seededNode = mockNode();
    seeded = mockAlloc({ NodeID: seededNode.ID });
    await seed(server.store, { nodes: [seededNode], allocs: [seeded] });
    await admin.acl.policyUpsert({ Name: 'readonly', Rules: 'namespace "default" {}' });
  });

  test.each(reads)(
    '%s: indented by four spaces with a newline; compact with pretty=0',
    async (_, url) => {
      const compact = await call({ method: 'GET', url: url() });
      expect(compact.statusCode).toBe(200);
      expect(compact.headers['content-type']).toBe('application/json; charset=utf-8');
      const value: unknown = JSON.parse(compact.body);
      expect(compact.body).toBe(JSON.stringify(value));
      expect((await call({ method: 'GET', url: `${url()}?pretty=0` })).body).toBe(compact.body);
      for (const query of PRETTY) {
        const res = await call({ method: 'GET', url: `${url()}?${query}` });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(res.body).toBe(pretty(value));
      }
    },
  );

  test('a write answering JSON is pretty; one answering nothing stays empty', async () => {
    const token = await call({
      method: 'PUT',
      url: '/v1/acl/token?pretty',
      payload: JSON.stringify({ Name: 'dev', Type: 'client', Policies: ['readonly'] }),
    });
    expect(token.statusCode).toBe(200);
    expect(token.body).toBe(pretty(JSON.parse(token.body)));
    expect(token.body.startsWith('{\n    "AccessorID": ')).toBe(true);

    const upsert = await call({
      method: 'PUT',
      url: '/v1/acl/policy/other?pretty',
      payload: JSON.stringify({ Name: 'other', Rules: 'namespace "default" {}' }),
    });
    expect(upsert.statusCode).toBe(200);
    expect(upsert.body).toBe('');
  });
});
