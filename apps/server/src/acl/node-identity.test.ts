// With ACLs on, a node agent's SecretID is its node's identity: it reads the allocations placed on
// its node and its own node record, and nothing else (Nomad's client ACL, narrowed: no node pools).
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openStateStore } from '../state/index.js';
import { seed, startTestServer, type TestServer } from '../test-support/harness.js';
import { mockAlloc, mockJob, mockNode } from '../test-support/mock.js';
import { storeAclResolver } from './store-resolver.js';

let server: TestServer;
const secret = randomUUID();
const otherSecret = randomUUID();
let nodeID: string;
let otherNodeID: string;
/** Allocations on the node: one in `default`, one in `other`. */
let mine: string[];
let theirs: string;

beforeEach(async () => {
  const store = openStateStore({ inMemory: true, freeze: true });
  server = await startTestServer({ store, acl: storeAclResolver(store) });
  const node = { ...mockNode(), SecretID: secret };
  const other = { ...mockNode(), SecretID: otherSecret };
  nodeID = node.ID;
  otherNodeID = other.ID;
  const a = mockAlloc({ NodeID: node.ID });
  const b = mockAlloc({ NodeID: node.ID, Job: mockJob({ Namespace: 'other' }) });
  const c = mockAlloc({ NodeID: other.ID });
  await seed(store, { nodes: [node, other], allocs: [a, b, c] });
  mine = [a.ID, b.ID];
  theirs = c.ID;
});
afterEach(() => server.close());

async function call(method: 'GET' | 'POST', url: string, token = secret): Promise<string> {
  const res = await server.inject({ method, url, headers: { 'x-nomad-token': token } });
  return res.statusCode === 200 ? '200' : `${res.statusCode} ${res.body}`;
}

describe('a node identity', () => {
  test('reads the allocations placed on its node, in any namespace, and no others', async () => {
    for (const id of mine) expect(await call('GET', `/v1/allocation/${id}`)).toBe('200');
    expect(await call('GET', `/v1/allocation/${theirs}`)).toBe('403 Permission denied');
    expect(await call('GET', `/v1/allocation/${randomUUID()}`)).toBe('404 alloc not found');
  });

  test('lists its node’s allocations (all of them), not another node’s', async () => {
    const res = await server.inject({
      url: `/v1/node/${nodeID}/allocations`,
      headers: { 'x-nomad-token': secret },
    });
    expect(res.statusCode).toBe(200);
    const ids = (JSON.parse(res.body) as { ID: string }[]).map((a) => a.ID).sort();
    expect(ids).toEqual([...mine].sort());
    expect(await call('GET', `/v1/node/${otherNodeID}/allocations`)).toBe('403 Permission denied');
  });

  test('may do nothing else', async () => {
    const denied = '403 Permission denied';
    expect(await call('GET', '/v1/allocations')).toBe(denied);
    expect(await call('GET', '/v1/allocations?namespace=*')).toBe(denied);
    expect(await call('POST', `/v1/allocation/${mine[0]}/stop`)).toBe(denied);
    expect(await call('GET', '/v1/nodes')).toBe(denied);
    expect(await call('GET', `/v1/node/${otherNodeID}`)).toBe(denied);
    expect(await call('GET', '/v1/jobs')).toBe(denied);
    expect(await call('GET', '/v1/evaluations')).toBe(denied);
    expect(await call('GET', '/v1/namespace/default')).toBe(denied);
    const namespaces = await server.inject({
      url: '/v1/namespaces',
      headers: { 'x-nomad-token': secret },
    });
    expect([namespaces.statusCode, namespaces.body]).toEqual([200, '[]']);
  });
});
