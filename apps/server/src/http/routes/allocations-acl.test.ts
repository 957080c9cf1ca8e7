// The order of checks on every allocation endpoint, with ACLs on: authenticate (a bad token is a
// 403), then look up (missing is a 404), then authorise in the allocation's namespace (403). The
// resolver here stands in for the ACL system, which arrives with its own issue.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { AclIdentity, AclResolver, Capability } from '../../acl/acl.js';
import { forbidden } from '../../endpoints/endpoint-error.js';
import { startTestServer, seed, type TestServer } from '../../test-support/harness.js';
import { mockAlloc, mockJob, mockNode } from '../../test-support/mock.js';

/** A token's grants: namespace → capabilities. */
const grants: Record<string, Record<string, Capability[]>> = {
  reader: { default: ['read-job'] },
  operator: { default: ['read-job', 'alloc-lifecycle'] },
  nothing: {},
  '': {},
};

const resolver: AclResolver = {
  resolve(token): AclIdentity {
    const granted = grants[token];
    if (!granted) throw forbidden();
    return {
      allows: (ns, cap) => granted[ns]?.includes(cap) ?? false,
      namespaceFilter: (cap) =>
        Object.values(granted).some((caps) => caps.includes(cap))
          ? (ns) => granted[ns]?.includes(cap) ?? false
          : undefined,
      allowsNamespace: (ns) => (granted[ns]?.length ?? 0) > 0,
      isManagement: () => false,
      allowsNodeRead: () => false,
      allowsNodeWrite: () => false,
      allowsAgentRead: () => false,
      allowsOperatorRead: () => false,
    };
  },
};

let server: TestServer;
const missing = 'a8198d79-cfdb-6593-a999-1e9adabcba2e';
let inDefault: string;
let inOther: string;

beforeEach(async () => {
  server = await startTestServer({ acl: resolver });
  const node = mockNode();
  const a = mockAlloc({ NodeID: node.ID });
  const b = mockAlloc({
    NodeID: node.ID,
    Job: mockJob({ Namespace: 'other' }),
    Namespace: 'other',
  });
  await seed(server.store, { nodes: [node], allocs: [a, b] });
  inDefault = a.ID;
  inOther = b.ID;
});
afterEach(() => server.close());

const call = async (method: 'GET' | 'POST', url: string, token: string, payload?: string) => {
  const res = await server.inject({ method, url, headers: { 'x-nomad-token': token }, payload });
  return `${res.statusCode} ${res.body.startsWith('[') || res.body.startsWith('{') ? 'json' : res.body}`;
};

describe('list', () => {
  test('needs read-job in the namespace', async () => {
    expect(await call('GET', '/v1/allocations', 'reader')).toBe('200 json');
    expect(await call('GET', '/v1/allocations?namespace=other', 'reader')).toBe(
      '403 Permission denied',
    );
    expect(await call('GET', '/v1/allocations', 'nothing')).toBe('403 Permission denied');
    expect(await call('GET', '/v1/allocations', 'no-such-token')).toBe('403 Permission denied');
  });

  test('namespace=* lists only the namespaces the token may read', async () => {
    const res = await server.inject({
      method: 'GET',
      url: '/v1/allocations?namespace=*',
      headers: { 'x-nomad-token': 'reader' },
    });
    expect((JSON.parse(res.body) as { ID: string }[]).map((s) => s.ID)).toEqual([inDefault]);
    expect(await call('GET', '/v1/allocations?namespace=*', 'nothing')).toBe(
      '403 Permission denied',
    );
  });
});

describe('read', () => {
  test('authenticates, then looks up, then authorises', async () => {
    expect(await call('GET', `/v1/allocation/${missing}`, 'no-such-token')).toBe(
      '403 Permission denied',
    );
    expect(await call('GET', `/v1/allocation/${missing}`, 'nothing')).toBe('404 alloc not found');
    expect(await call('GET', `/v1/allocation/${inDefault}`, 'nothing')).toBe(
      '403 Permission denied',
    );
    expect(await call('GET', `/v1/allocation/${inDefault}`, 'reader')).toBe('200 json');
    // The allocation's own namespace counts, not the request's.
    expect(await call('GET', `/v1/allocation/${inOther}?namespace=default`, 'reader')).toBe(
      '403 Permission denied',
    );
  });
});

describe('stop, signal and restart', () => {
  test('stop needs alloc-lifecycle, checked after the lookup', async () => {
    expect(await call('POST', `/v1/allocation/${missing}/stop`, 'no-such-token')).toBe(
      '403 Permission denied',
    );
    expect(await call('POST', `/v1/allocation/${missing}/stop`, 'reader')).toBe(
      '404 allocation not found',
    );
    expect(await call('POST', `/v1/allocation/${inDefault}/stop`, 'reader')).toBe(
      '403 Permission denied',
    );
    expect(await call('POST', `/v1/allocation/${inDefault}/stop`, 'operator')).toBe('200 json');
  });

  test.each(['signal', 'restart'])(
    '%s needs alloc-lifecycle, checked after the lookup',
    async (action) => {
      const url = (id: string) => `/v1/client/allocation/${id}/${action}`;
      expect(await call('POST', url(missing), 'no-such-token', '{}')).toBe('403 Permission denied');
      expect(await call('POST', url(missing), 'reader', '{}')).toBe(
        `404 Unknown allocation "${missing}"`,
      );
      expect(await call('POST', url(inDefault), 'reader', '{}')).toBe('403 Permission denied');
      expect(await call('POST', url(inDefault), 'operator', '{}')).toBe('404 No path to node');
    },
  );
});
