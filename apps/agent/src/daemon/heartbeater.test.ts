// The heartbeater against a real server: a node the servers forgot is registered again (after a
// 403 with ACLs on, where its secret names no one, or a 404 with ACLs off), with the operator's
// token when the secret is refused, and retries that keep failing are spaced ever wider.
import { afterEach, describe, expect, test } from 'vitest';
import { Heartbeater, type HeartbeaterOptions } from './heartbeater.js';
import { httpServerApi } from './http-server-api.js';
import { ServerCallError } from './server-failover.js';
import {
  recordingApi,
  startRealServer,
  testNode,
  waitFor,
  type RealServer,
  type RecordedCall,
} from './test-support/real-server.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function serverWith(acl: boolean, ttlMs: number): Promise<RealServer> {
  const s = await startRealServer({ acl, heartbeat: { ttlMs } });
  cleanup.push(() => s.close());
  return s;
}

function heartbeater(options: HeartbeaterOptions): Heartbeater {
  const h = new Heartbeater(options);
  cleanup.push(() => h.stop());
  return h;
}

/** The node as the server holds it (its status), or `undefined` once forgotten. */
const statusOf = (s: RealServer, nodeID: string) => s.server.store.nodeByID(nodeID)?.Status;

/**
 * The calls answered after `since`, from the first refused one on (a call the server answered
 * just before the node was forgotten may arrive just after), as `<call> <credential> <status>`.
 */
function callsSince(calls: RecordedCall[], since: number, names: Record<string, string>) {
  const after = refusedSince(calls, since);
  return after.map((c) => `${c.call} ${names[c.token]} ${c.status}`);
}

function refusedSince(calls: RecordedCall[], since: number): RecordedCall[] {
  const after = calls.filter((c) => c.at > since);
  const first = after.findIndex((c) => c.status !== 200);
  return first < 0 ? [] : after.slice(first);
}

describe('a node the servers forgot', () => {
  test('with ACLs on: its heartbeat gets 403, and it registers again with the operator token', async () => {
    const s = await serverWith(true, 400);
    const node = testNode();
    const { api, calls } = recordingApi(s.server.address);
    const h = heartbeater({ api, node: () => node, registerToken: s.management, retryMs: 50 });
    await h.start();
    expect(statusOf(s, node.ID)).toBe('ready');

    await s.forgetNode(node.ID);
    const forgotten = performance.now();
    const names = { [node.SecretID]: 'secret', [s.management]: 'operator' };
    // Registered again, and the heartbeat after it answered (the status alone comes first).
    await waitFor(
      () => callsSince(calls, forgotten, names),
      (seen) => seen.length >= 3 && statusOf(s, node.ID) === 'ready',
    );
    // The secret was refused, so the operator's token goes first; then the secret beats again.
    expect(callsSince(calls, forgotten, names).slice(0, 3)).toEqual([
      'heartbeat secret 403',
      'register operator 200',
      'heartbeat secret 200',
    ]);
  });

  test('with ACLs off: its heartbeat gets 404, and it registers again with its secret', async () => {
    const s = await serverWith(false, 400);
    const node = testNode();
    const { api, calls } = recordingApi(s.server.address);
    const h = heartbeater({ api, node: () => node, retryMs: 50 });
    await h.start();

    await s.forgetNode(node.ID);
    const forgotten = performance.now();
    const names = { [node.SecretID]: 'secret' };
    await waitFor(
      () => callsSince(calls, forgotten, names),
      (seen) => seen.length >= 3 && statusOf(s, node.ID) === 'ready',
    );
    expect(callsSince(calls, forgotten, names).slice(0, 3)).toEqual([
      'heartbeat secret 404',
      'register secret 200',
      'heartbeat secret 200',
    ]);
  });

  test('without an operator token, refused registrations are retried ever more slowly', async () => {
    const s = await serverWith(true, 400);
    const node = testNode();
    // The operator introduced the node once; the agent holds only its secret.
    await httpServerApi([s.server.address]).register(node, s.management);
    const { api, calls } = recordingApi(s.server.address);
    const retryMs = 20;
    const maxRetryMs = 320;
    const h = heartbeater({ api, node: () => node, retryMs, maxRetryMs });
    await h.start();

    await s.forgetNode(node.ID);
    const forgotten = performance.now();
    await new Promise((r) => setTimeout(r, 2_000));
    const failed = refusedSince(calls, forgotten);
    // The first beat after the node was forgotten is refused; every registration after it too.
    expect(failed[0]).toMatchObject({ call: 'heartbeat', status: 403 });
    expect(failed.slice(1).every((c) => c.call === 'register' && c.status === 403)).toBe(true);
    expect(failed.slice(1).every((c) => c.token === node.SecretID)).toBe(true);
    // After the k-th failure in a row the next try waits retryMs·2^(k-1), at most maxRetryMs
    // (1 ms of slack for the clocks). At a fixed 20 ms this would be about 100 calls.
    for (let k = 1; k < failed.length; k++) {
      const wait = Math.min(retryMs * 2 ** (k - 1), maxRetryMs);
      expect(failed[k]!.at - failed[k - 1]!.at).toBeGreaterThanOrEqual(wait - 1);
    }
    expect(failed.length).toBeGreaterThanOrEqual(5);
    expect(failed.length).toBeLessThanOrEqual(12);

    // The operator brings the node back: its secret registers it again, and it beats.
    await httpServerApi([s.server.address]).register(node, s.management);
    await waitFor(
      () => statusOf(s, node.ID),
      (status) => status === 'ready',
    );
  });

  test('another call refused for the node (the allocations long-poll) brings the registration forward, once', async () => {
    // A long TTL: the next heartbeat is 30 s away, longer than the test may wait.
    const s = await serverWith(true, 60_000);
    const node = testNode();
    const { api, calls } = recordingApi(s.server.address);
    const h = heartbeater({ api, node: () => node, registerToken: s.management, retryMs: 50 });
    await h.start();

    await s.forgetNode(node.ID);
    const forgotten = performance.now();
    const refused = new ServerCallError(403, 'Permission denied');
    for (let i = 0; i < 20; i++) h.registerAgain(refused);
    await waitFor(
      () => statusOf(s, node.ID),
      (status) => status === 'ready',
    );
    await new Promise((r) => setTimeout(r, 300));
    const names = { [node.SecretID]: 'secret', [s.management]: 'operator' };
    const after = calls.filter((c) => c.at > forgotten);
    expect(after.map((c) => `${c.call} ${names[c.token]} ${c.status}`)).toEqual([
      'register operator 200',
      'heartbeat secret 200',
    ]);
  });

  test('a failure that is not about the node (no server reachable) retries the heartbeat alone', async () => {
    const s = await serverWith(false, 400);
    const node = testNode();
    const { api: real, calls } = recordingApi(s.server.address);
    let reachable = true;
    const unreachable = new ServerCallError(0, 'no server reachable: connection refused');
    const api = {
      ...real,
      heartbeat: (nodeID: string, secret: string) =>
        reachable ? real.heartbeat(nodeID, secret) : Promise.reject(unreachable),
    };
    const errors: unknown[] = [];
    const h = heartbeater({
      api,
      node: () => node,
      retryMs: 20,
      onError: (e) => errors.push(e),
    });
    await h.start();
    reachable = false;
    await waitFor(
      () => errors.length,
      (n) => n >= 3,
    );
    const back = performance.now();
    reachable = true;
    await waitFor(
      () => calls.filter((c) => c.at > back && c.call === 'heartbeat').length,
      (n) => n >= 1,
    );
    expect(calls.filter((c) => c.call === 'register')).toHaveLength(1);
  });
});
