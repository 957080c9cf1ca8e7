// Node registration with ACLs on: a new node needs a token with node:write (the operator's
// introduction token, which the agent presents); a registered node may also register again with
// its own SecretID. The node's other calls stay bound to its secret.
import type { NodeRegistration } from '@berth/contract';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { aclDisabled } from '../../acl/acl.js';
import { storeAclResolver } from '../../acl/store-resolver.js';
import { putPolicy, putToken } from '../../acl/testing/acl-fixtures.js';
import { agentClient } from '../../nodes/testing/agent-client.js';
import { openStateStore } from '../../state/index.js';
import { startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockNode } from '../../test-support/mock.js';

function registration(overrides: Partial<NodeRegistration> = {}): NodeRegistration {
  return { ...mockNode(), Status: 'initializing', SecretID: randomUUID(), ...overrides };
}

/** Registers `node` presenting `token`; `<status>` or `<status> <text>`. */
async function register(server: TestServer, node: NodeRegistration, token: string) {
  const res = await agentClient(server.app, token).register({ body: node });
  return res.status === 200 ? '200' : `${res.status} ${String(res.body)}`;
}

describe('with ACLs on', () => {
  let server: TestServer;
  let introduction: string;
  let reader: string;

  beforeEach(async () => {
    const store = openStateStore({ inMemory: true, freeze: true });
    server = await startTestServer({
      store,
      acl: storeAclResolver(store),
      heartbeat: { ttlMs: 60_000 },
    });
    await putPolicy(store, 'node-write', 'node { policy = "write" }');
    await putPolicy(store, 'node-read', 'node { policy = "read" }');
    introduction = (await putToken(store, { policies: ['node-write'] })).SecretID;
    reader = (await putToken(store, { policies: ['node-read'] })).SecretID;
  });
  afterEach(() => server.close());

  test('a new node needs a token with node:write', async () => {
    const denied = '403 Permission denied';
    expect(await register(server, registration(), '')).toBe(denied);
    expect(await register(server, registration(), reader)).toBe(denied);
    expect(await register(server, registration(), randomUUID())).toBe(denied);
    expect(await register(server, registration(), 'not-a-token')).toBe(denied);
    const node = registration();
    // Its own secret is no token before it is registered.
    expect(await register(server, node, node.SecretID)).toBe(denied);
    expect(server.store.nodes()).toEqual([]);
    expect(await register(server, node, introduction)).toBe('200');
    const management = (await putToken(server.store, { type: 'management' })).SecretID;
    expect(await register(server, registration(), management)).toBe('200');
  });

  test('a registered node registers again with its own SecretID, not another node’s', async () => {
    const node = registration();
    const other = registration();
    expect(await register(server, node, introduction)).toBe('200');
    expect(await register(server, other, introduction)).toBe('200');
    expect(await register(server, { ...node, Name: 'renamed' }, node.SecretID)).toBe('200');
    expect(server.store.nodeByID(node.ID)?.Name).toBe('renamed');
    expect(await register(server, node, other.SecretID)).toBe('403 Permission denied');
    // Another node's identity introduces no new node either.
    expect(await register(server, registration(), other.SecretID)).toBe('403 Permission denied');
  });

  test('the body must still carry the node’s own secret, whoever asks', async () => {
    const node = registration();
    expect(await register(server, node, introduction)).toBe('200');
    expect(await register(server, { ...node, SecretID: randomUUID() }, introduction)).toBe(
      '400 node secret ID does not match. Not registering node.',
    );
  });

  test('heartbeats and the allocations long-poll take the node’s secret only', async () => {
    const node = registration();
    expect(await register(server, node, introduction)).toBe('200');
    const beat = (token: string) =>
      agentClient(server.app, token).heartbeat({ params: { nodeID: node.ID }, body: {} });
    expect((await beat(node.SecretID)).status).toBe(200);
    expect((await beat(introduction)).status).toBe(403);
    const poll = await agentClient(server.app, introduction).allocations({
      params: { nodeID: node.ID },
      query: {},
    });
    expect(poll.status).toBe(403);
  });
});

describe('with ACLs off', () => {
  test('registration stays open, whatever the token', async () => {
    const server = await startTestServer({ acl: aclDisabled });
    try {
      expect(await register(server, registration(), '')).toBe('200');
      expect(await register(server, registration(), 'garbage')).toBe('200');
    } finally {
      await server.close();
    }
  });
});
