// Failing over between servers when one hangs (accepts connections, never answers): the agent
// gives it up after the answer timeout and the next server answers; a caller's abort ends the call
// at once and tries no other server.
import { afterEach, expect, test } from 'vitest';
import { httpServerApi } from './http-server-api.js';
import { ServerCallError } from './server-failover.js';
import { startFaultyLink } from './test-support/faulty-link.js';
import { startRealServer, testNode } from './test-support/real-server.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function hungAndLive() {
  const s = await startRealServer({ acl: false });
  cleanup.push(() => s.close());
  const hung = await startFaultyLink(s.server.address);
  cleanup.push(() => hung.close());
  hung.hang();
  const node = testNode();
  const direct = httpServerApi([s.server.address]);
  cleanup.push(() => direct.close?.());
  await direct.register(node, node.SecretID);
  return { s, hung, node };
}

test('a server that never answers is given up after the answer timeout; the next one answers', async () => {
  const { s, hung, node } = await hungAndLive();
  const api = httpServerApi([hung.address, s.server.address], { answerTimeoutMs: 300 });
  cleanup.push(() => api.close?.());
  const answer = await api.heartbeat(node.ID, node.SecretID);
  expect(answer.heartbeatTTLMs).toBeGreaterThan(0);
  // The hung server stays behind: the next call goes to the one that answered.
  const allocs = await api.allocations(node.ID, node.SecretID, { index: 0, waitMs: 1000 });
  expect(allocs.allocs).toEqual([]);
});

test('with only servers that never answer, a call fails as unreachable', async () => {
  const { hung, node } = await hungAndLive();
  const api = httpServerApi([hung.address], { answerTimeoutMs: 300 });
  cleanup.push(() => api.close?.());
  const failure = await api.heartbeat(node.ID, node.SecretID).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(ServerCallError);
  expect((failure as ServerCallError).status).toBe(0);
  expect((failure as ServerCallError).message).toContain('did not answer within 300 ms');
});

test("a caller's abort ends a call to a hung server at once, with no failover", async () => {
  const { s, hung, node } = await hungAndLive();
  const api = httpServerApi([hung.address, s.server.address]);
  cleanup.push(() => api.close?.());
  const stop = new AbortController();
  const call = api.heartbeat(node.ID, node.SecretID, { signal: stop.signal });
  setTimeout(() => stop.abort(), 100);
  const failure = await call.catch((e: unknown) => e);
  // Not an answer from the live server, nor "unreachable": the caller's own abort.
  expect(failure).not.toBeInstanceOf(ServerCallError);
  expect(failure).toBeInstanceOf(Error);
  expect((failure as Error).name).toBe('AbortError');
});
