// The order of checks on the calls a node agent makes with its secret (heartbeat, the allocations
// long-poll, the allocation reports), as Nomad orders them: authenticate (403) → look up (404) →
// authorise (403). With ACLs on, a caller whose token is no live credential learns nothing about
// which nodes exist; with ACLs off every token is ignored, so the look-up comes first and a
// missing node's 404 tells its agent to register again.
import type { NodeRegistration } from '@berth/contract';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { storeAclResolver } from '../../acl/store-resolver.js';
import { putPolicy, putToken } from '../../acl/testing/acl-fixtures.js';
import { agentClient } from '../../nodes/testing/agent-client.js';
import { openStateStore } from '../../state/index.js';
import { startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockNode } from '../../test-support/mock.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(acl: boolean): Promise<TestServer> {
  const store = openStateStore({ inMemory: true, freeze: true });
  server = await startTestServer({
    store,
    ...(acl && { acl: storeAclResolver(store), aclEnabled: true }),
    heartbeat: { ttlMs: 60_000 },
  });
  return server;
}

function registration(): NodeRegistration {
  return { ...mockNode(), Status: 'initializing', SecretID: randomUUID() };
}

/** Registers `node` with `token` and heartbeats it with its own secret. */
async function readyNode(s: TestServer, token: string): Promise<NodeRegistration> {
  const node = registration();
  expect((await agentClient(s.app, token).register({ body: node })).status).toBe(200);
  const beat = await agentClient(s.app, node.SecretID).heartbeat({
    params: { nodeID: node.ID },
    body: { Status: 'ready' },
  });
  expect(beat.status).toBe(200);
  return node;
}

/** The three node-secret calls on `nodeID` presenting `token`, each as `<status> <text>`. */
async function agentCalls(s: TestServer, nodeID: string, token: string): Promise<string[]> {
  const agent = agentClient(s.app, token);
  const params = { nodeID };
  const answers = await Promise.all([
    agent.heartbeat({ params, body: { Status: 'ready' } }),
    agent.allocations({ params, query: {} }),
    agent.updateAllocations({
      params,
      body: { Allocs: [{ ID: randomUUID(), ClientStatus: 'running' }] },
    }),
  ]);
  return answers.map((a) => (a.status === 200 ? '200' : `${a.status} ${String(a.body)}`));
}

const all = (answer: string) => [answer, answer, answer];
const DENIED = '403 Permission denied';

async function deleteNode(s: TestServer, nodeID: string): Promise<void> {
  await s.store.write((tx) => tx.deleteNode(nodeID));
}

describe('with ACLs on', () => {
  test('a token that is no live credential is refused before any node is looked up', async () => {
    const s = await start(true);
    const management = (await putToken(s.store, { type: 'management' })).SecretID;
    await putPolicy(
      s.store,
      'everything',
      'namespace "*" { policy = "write" }\nnode { policy = "write" }',
    );
    const expired = await putToken(s.store, {
      policies: ['everything'],
      expirationTime: new Date(Date.now() - 60_000).toISOString(),
    });
    const node = await readyNode(s, management);
    const gone = await readyNode(s, management);
    await deleteNode(s, gone.ID);

    const badTokens = {
      unknown: randomUUID(),
      expired: expired.SecretID,
      malformed: 'not-a-uuid',
      "a deleted node's secret": gone.SecretID,
    };
    const nodeIDs = {
      missing: randomUUID(),
      existing: node.ID,
      deleted: gone.ID,
      malformed: 'xyz',
    };
    const before = s.store.latestIndex();
    for (const [what, token] of Object.entries(badTokens)) {
      for (const [which, nodeID] of Object.entries(nodeIDs)) {
        expect({ what, which, answers: await agentCalls(s, nodeID, token) }).toEqual({
          what,
          which,
          answers: all(DENIED),
        });
      }
    }
    expect(s.store.latestIndex()).toBe(before);
  });

  test('a live credential that is not the node: 404 for a missing node, 403 for another', async () => {
    const s = await start(true);
    const management = (await putToken(s.store, { type: 'management' })).SecretID;
    await putPolicy(s.store, 'node-write', 'node { policy = "write" }');
    const introduction = (await putToken(s.store, { policies: ['node-write'] })).SecretID;
    const node = await readyNode(s, introduction);
    const other = await readyNode(s, introduction);

    const callers = {
      anonymous: '',
      management,
      'node:write': introduction,
      "another node's secret": other.SecretID,
    };
    for (const [who, token] of Object.entries(callers)) {
      const answers = {
        missing: await agentCalls(s, randomUUID(), token),
        existing: await agentCalls(s, node.ID, token),
        malformed: (await agentCalls(s, 'xyz', token)).map((a) => a.slice(0, 3)),
      };
      expect({ who, answers }).toEqual({
        who,
        answers: {
          missing: all('404 node not found'),
          existing: all(DENIED),
          malformed: all('400'),
        },
      });
    }
    // The node's own secret acts for it.
    expect(await agentCalls(s, node.ID, node.SecretID)).toEqual(all('200'));
  });

  test('a node whose record is gone is refused (403), and is served again once re-registered', async () => {
    const s = await start(true);
    const management = (await putToken(s.store, { type: 'management' })).SecretID;
    const node = await readyNode(s, management);
    await deleteNode(s, node.ID);
    // Its secret no longer names a node: the agent must introduce the node again.
    expect(await agentCalls(s, node.ID, node.SecretID)).toEqual(all(DENIED));
    const again = await agentClient(s.app, node.SecretID).register({ body: node });
    expect(again.status).toBe(403);
    expect((await agentClient(s.app, management).register({ body: node })).status).toBe(200);
    expect(await agentCalls(s, node.ID, node.SecretID)).toEqual(all('200'));
  });
});

describe('with ACLs off', () => {
  test('the look-up comes first: a missing node is a 404 whatever the token', async () => {
    const s = await start(false);
    const node = await readyNode(s, '');
    for (const token of ['', randomUUID(), 'garbage', node.SecretID]) {
      expect(await agentCalls(s, randomUUID(), token)).toEqual(all('404 node not found'));
    }
    for (const token of ['', randomUUID(), 'garbage']) {
      expect(await agentCalls(s, node.ID, token)).toEqual(all(DENIED));
    }
    await deleteNode(s, node.ID);
    // Its agent hears that the servers forgot the node, and registers again.
    expect(await agentCalls(s, node.ID, node.SecretID)).toEqual(all('404 node not found'));
  });
});
