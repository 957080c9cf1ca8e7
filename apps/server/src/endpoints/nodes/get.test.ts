// GET /v1/node/:id with ACLs on, by a node agent: its SecretID reads its own node (never the
// secret itself), and no other node; whether another node exists stays hidden.
import type { Node, NodeRegistration } from '@berth/contract';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { storeAclResolver } from '../../acl/store-resolver.js';
import { putPolicy, putToken } from '../../acl/testing/acl-fixtures.js';
import { agentClient } from '../../nodes/testing/agent-client.js';
import { openStateStore } from '../../state/index.js';
import { startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockNode } from '../../test-support/mock.js';

let server: TestServer;
let node: NodeRegistration;
let other: NodeRegistration;
let management: string;

function registration(): NodeRegistration {
  return { ...mockNode(), Status: 'initializing', SecretID: randomUUID() };
}

beforeEach(async () => {
  const store = openStateStore({ inMemory: true, freeze: true });
  server = await startTestServer({
    store,
    acl: storeAclResolver(store),
    aclEnabled: true,
    heartbeat: { ttlMs: 60_000 },
  });
  management = (await putToken(store, { type: 'management' })).SecretID;
  node = registration();
  other = registration();
  for (const n of [node, other]) {
    expect((await agentClient(server.app, management).register({ body: n })).status).toBe(200);
  }
});
afterEach(() => server.close());

async function read(id: string, token: string, query = '') {
  const res = await server.inject({
    method: 'GET',
    url: `/v1/node/${id}${query}`,
    headers: { 'x-nomad-token': token },
  });
  return {
    status: res.statusCode,
    body: res.statusCode === 200 ? (JSON.parse(res.body) as Node) : res.body,
    index: Number(res.headers['x-nomad-index']),
  };
}

describe("a node's secret", () => {
  test('reads its own node, without the SecretID, as a node:read token sees it', async () => {
    await putPolicy(server.store, 'node-read', 'node { policy = "read" }');
    const reader = (await putToken(server.store, { policies: ['node-read'] })).SecretID;
    const own = await read(node.ID, node.SecretID);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ ID: node.ID, Name: node.Name, Status: 'initializing' });
    expect(own.body).not.toHaveProperty('SecretID');
    expect(JSON.stringify(own.body)).not.toContain(node.SecretID);
    expect(own).toEqual(await read(node.ID, reader));
    // Any spelling of its ID names it.
    expect((await read(node.ID.toUpperCase(), node.SecretID)).status).toBe(200);
  });

  test('is refused another node, and a missing one alike', async () => {
    for (const id of [other.ID, randomUUID()]) {
      expect(await read(id, node.SecretID)).toMatchObject({
        status: 403,
        body: 'Permission denied',
      });
    }
  });

  test("watches its node: a blocking read wakes on the node's heartbeat", async () => {
    const first = await read(node.ID, node.SecretID);
    const blocked = read(node.ID, node.SecretID, `?index=${first.index}&wait=10s`);
    const started = Date.now();
    const beat = await agentClient(server.app, node.SecretID).heartbeat({
      params: { nodeID: node.ID },
      body: { Status: 'ready' },
    });
    expect(beat.status).toBe(200);
    const woken = await blocked;
    expect(Date.now() - started).toBeLessThan(9_000);
    expect(woken.status).toBe(200);
    expect(woken.body).toMatchObject({ ID: node.ID, Status: 'ready' });
    expect(woken.index).toBeGreaterThan(first.index);
  });

  test('reads nothing once its node is gone: its secret names no one', async () => {
    await server.store.write((tx) => tx.deleteNode(node.ID));
    expect(await read(node.ID, node.SecretID)).toMatchObject({
      status: 403,
      body: 'Permission denied',
    });
  });
});
