// A stopping agent never waits on a server that is gone: its long-poll, the heartbeat under way
// and its retry waits all end at once, whether the server hangs (accepts connections and never
// answers, as a stopped or cut-off process) or refuses them (an exited one). The servers are
// real, reached through a loopback link that is made to fail.
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { startAgent, type RunningAgent } from '../agent.js';
import { MockDriver } from '../drivers/index.js';
import { Daemon } from './daemon.js';
import { httpServerApi } from './http-server-api.js';
import { startFaultyLink, type FaultyLink } from './test-support/faulty-link.js';
import {
  recordingApi,
  startRealServer,
  testNode,
  waitFor,
  type RealServer,
  type RecordingApi,
} from './test-support/real-server.js';

/** "A couple of seconds": what a stop may take at most, with room for a loaded machine. */
const STOP_BOUND_MS = 2500;

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

interface Setup {
  s: RealServer;
  link: FaultyLink;
  recording: RecordingApi;
  agent: RunningAgent;
  logged: string[];
}

/** A real server, an agent reaching it through a faulty link, blocking 30 s per long-poll. */
async function setup(): Promise<Setup> {
  // Heartbeats 200 ms apart: one is soon under way once the link fails.
  const s = await startRealServer({ acl: false, heartbeat: { ttlMs: 400 } });
  cleanup.push(() => s.close());
  const link = await startFaultyLink(s.server.address);
  cleanup.push(() => link.close());
  const recording = recordingApi(link.address);
  const logged: string[] = [];
  const agent = await startAgent({
    servers: [link.address],
    api: recording.api,
    dataDir: join(s.root, 'agent'),
    nodeName: 'n1',
    drivers: [new MockDriver()],
    pollWaitMs: 30_000,
    log: (message, error) => logged.push(`${message}: ${String(error)}`),
  });
  // Stopped by the test; this only cleans up after a failure.
  cleanup.push(() => agent.close());
  return { s, link, recording, agent, logged };
}

/** How long `agent.close()` takes, or `undefined` if it has not ended within `boundMs`. */
async function timedClose(agent: RunningAgent, boundMs: number): Promise<number | undefined> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    agent.close().then(() => performance.now() - started),
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), boundMs);
    }),
  ]);
  clearTimeout(timer);
  return outcome;
}

test('stops within a couple of seconds while its long-poll and heartbeat wait on a server that hangs', async () => {
  const { link, recording, agent } = await setup();
  // The first answer (index 0) came back: the next long-poll blocks on the server.
  await waitFor(
    () => recording.calls.filter((c) => c.call === 'allocations').length,
    (n) => n >= 1,
  );

  link.hang();
  // Both wait on the hung server: the long-poll for its 30 s, the next heartbeat for ever.
  await waitFor(
    () => recording.underWay().sort(),
    (calls) => calls.includes('allocations') && calls.includes('heartbeat'),
  );

  const took = await timedClose(agent, STOP_BOUND_MS);
  expect(took, 'the agent was still stopping').toBeDefined();
  // Nothing is left behind waiting on the server.
  expect(recording.underWay()).toEqual([]);
});

test('stops at once while it waits to retry a server that went away', async () => {
  const { link, agent, logged } = await setup();
  await link.refuse();
  // Four failed long-polls in a row: the wait before the next retry is now 4 s.
  await waitFor(
    () => logged.filter((line) => line.startsWith('allocations query failed')).length,
    (n) => n >= 4,
  );

  const took = await timedClose(agent, STOP_BOUND_MS);
  expect(took, 'the agent was still stopping').toBeDefined();
});

test('a stopped daemon leaves no connection open to the server', async () => {
  const s = await startRealServer({ acl: false, heartbeat: { ttlMs: 400 } });
  cleanup.push(() => s.close());
  const daemon = new Daemon({
    api: httpServerApi([s.server.address]),
    node: testNode(),
    createRunner: () => {
      throw new Error('no allocation is placed on a node without drivers');
    },
    pollWaitMs: 30_000,
  });
  await daemon.start();
  cleanup.push(() => daemon.shutdown());
  const connections = () =>
    new Promise<number>((resolve, reject) =>
      s.server.app.server.getConnections((error, n) => (error ? reject(error) : resolve(n))),
    );
  // The long-poll under way, and the heartbeats: connections are open.
  await waitFor(connections, (n) => n >= 1);

  await daemon.shutdown();
  // Not even kept alive: nothing of the agent's is left for a closing server to wait on.
  await waitFor(connections, (n) => n === 0, STOP_BOUND_MS);
});
