// Heartbeat TTLs with the real app, store and scheduling loop: a node that stops heartbeating is
// marked down and its allocations are replaced on a live node; heartbeating again brings it back.
import type { NodeRegistration } from '@berth/contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../server.js';
import type { StateStore } from '../state/index.js';
import { startTestServer, type TestServer } from '../test-support/harness.js';
import { mockNode } from '../test-support/mock.js';
import { waitForState } from '../test-support/wait-for-state.js';
import { agentClient, type AgentClient } from './testing/agent-client.js';
import { startBeatingAgent, type BeatingAgent } from './testing/beating-agent.js';

let server: TestServer | undefined;
let running: RunningServer | undefined;
const beating = new Set<NodeJS.Timeout>();
const agents: BeatingAgent[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const timer of beating) clearInterval(timer);
  beating.clear();
  await Promise.all(agents.splice(0).map((a) => a.stop()));
  await server?.close();
  server = undefined;
  await running?.close();
  running = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface TestNode {
  node: NodeRegistration;
  agent: AgentClient;
  beat(): Promise<void>;
}

async function register(s: TestServer): Promise<TestNode> {
  const node: NodeRegistration = {
    ...mockNode(),
    Status: 'initializing',
    SecretID: randomUUID(),
  };
  const agent = agentClient(s.app, node.SecretID);
  expect((await agent.register({ body: node })).status).toBe(200);
  const beat = async () => {
    const res = await agent.heartbeat({ params: { nodeID: node.ID }, body: {} });
    expect(res.status).toBe(200);
  };
  await beat();
  return { node, agent, beat };
}

/** Heartbeats every `ms` until the test ends, as a live agent does. */
function keepBeating(n: TestNode, ms: number): void {
  const timer = setInterval(() => void n.beat().catch(() => undefined), ms);
  beating.add(timer);
}

const statusOf = (s: TestServer, nodeID: string) => s.store.nodeByID(nodeID)?.Status;

describe('heartbeat TTL', () => {
  test('a node that stops heartbeating goes down; its allocations are lost and replaced; it comes back ready', async () => {
    server = await startTestServer({ scheduling: true, heartbeat: { ttlMs: 300, graceMs: 0 } });
    const s = server;
    // The job is placed while only `quiet` is up and beating.
    const quiet = await register(s);
    const quietBeats = setInterval(() => void quiet.beat().catch(() => undefined), 100);
    beating.add(quietBeats);

    const { data: registered } = await s.client.jobs.register({
      ID: 'web',
      Datacenters: ['dc1'],
      TaskGroups: [{ Name: 'web', Count: 4, Tasks: [{ Name: 'web', Driver: 'raw_exec' }] }],
    });
    await waitForState(s.store, () => s.store.evalByID(registered.EvalID)?.Status === 'complete');
    const onQuiet = s.store.allocsByNode(quiet.node.ID).map((a) => a.ID);
    expect(onQuiet).toHaveLength(4);
    const live = await register(s);
    keepBeating(live, 100);
    clearInterval(quietBeats);

    // `quiet` never heartbeats again: past its TTL it is down, and the scheduler replaces its
    // allocations as lost on the live node.
    await waitForState(s.store, () => statusOf(s, quiet.node.ID) === 'down');
    const replaced = () =>
      onQuiet.every((id) => {
        const old = s.store.allocByID(id);
        return old?.ClientStatus === 'lost' && old.NextAllocation !== '';
      });
    await waitForState(s.store, replaced);
    for (const id of onQuiet) {
      const next = s.store.allocByID(s.store.allocByID(id)!.NextAllocation)!;
      expect(next.NodeID).toBe(live.node.ID);
    }
    expect(statusOf(s, live.node.ID)).toBe('ready');

    // A heartbeat from the down node brings it back ready.
    const back = await quiet.agent.heartbeat({ params: { nodeID: quiet.node.ID }, body: {} });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ HeartbeatTTL: 300e6 });
    expect(statusOf(s, quiet.node.ID)).toBe('ready');
    expect(s.heartbeats.has(quiet.node.ID)).toBe(true);
    const { data: read } = await s.client.nodes.info(quiet.node.ID);
    expect(read.Events?.map((e) => [e.Subsystem, e.Message])).toEqual([
      ['Cluster', 'Node registered'],
      ['Cluster', 'Node heartbeat missed'],
      ['Cluster', 'Node reregistered by heartbeat'],
    ]);
  });

  test('a heartbeat saying `down` marks the node down and stops its timer', async () => {
    server = await startTestServer({ heartbeat: { ttlMs: 60_000 } });
    const n = await register(server);
    const res = await n.agent.heartbeat({
      params: { nodeID: n.node.ID },
      body: { Status: 'down' },
    });
    expect(res.body).toMatchObject({ HeartbeatTTL: 0 });
    expect(server.heartbeats.has(n.node.ID)).toBe(false);
    expect(statusOf(server, n.node.ID)).toBe('down');
  });

  test('a bad status in a heartbeat is a 400 and leaves the node as it was', async () => {
    server = await startTestServer({ heartbeat: { ttlMs: 60_000 } });
    const n = await register(server);
    const res = await n.agent.heartbeat({
      params: { nodeID: n.node.ID },
      body: { Status: 'asleep' },
    });
    expect([res.status, res.body]).toEqual([400, 'invalid status for node']);
    expect(statusOf(server, n.node.ID)).toBe('ready');
  });
});

describe('timers at server start', () => {
  test('a stored ready node gets a grace period, then goes down if its agent never returns', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'berth-heartbeats-'));
    dirs.push(dataDir);
    const first = await startTestServer({ dataDir, heartbeat: { ttlMs: 60_000 } });
    const gone = await register(first);
    const downAlready = await register(first);
    await downAlready.agent.heartbeat({
      params: { nodeID: downAlready.node.ID },
      body: { Status: 'down' },
    });
    await first.close();

    server = await startTestServer({
      dataDir,
      heartbeat: { ttlMs: 60_000, startupGraceMs: 200 },
    });
    const s = server;
    expect(s.heartbeats.has(gone.node.ID)).toBe(true);
    expect(s.heartbeats.has(downAlready.node.ID)).toBe(false);
    expect(statusOf(s, gone.node.ID)).toBe('ready');
    await waitForState(s.store, () => statusOf(s, gone.node.ID) === 'down');
  });

  test('a node that heartbeats within the grace period stays ready', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'berth-heartbeats-'));
    dirs.push(dataDir);
    const first = await startTestServer({ dataDir, heartbeat: { ttlMs: 60_000 } });
    const n = await register(first);
    await first.close();

    server = await startTestServer({
      dataDir,
      heartbeat: { ttlMs: 60_000, startupGraceMs: 200 },
    });
    const agent = agentClient(server.app, n.node.SecretID);
    await agent.heartbeat({ params: { nodeID: n.node.ID }, body: {} });
    // The heartbeat replaced the short startup timer with the TTL's.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(statusOf(server, n.node.ID)).toBe('ready');
  });
});

/** A node as its agent registers it. */
function agentNode(): NodeRegistration {
  return { ...mockNode(), Status: 'initializing', SecretID: randomUUID() };
}

/** Every node ID the store marks down from now on. */
function downMarks(store: StateStore): string[] {
  const marked: string[] = [];
  store.onCommit((commit) => {
    for (const { before, after } of commit.changes('nodes')) {
      if (after?.Status === 'down' && before?.Status !== 'down') marked.push(after.ID);
    }
  });
  return marked;
}

/** Holds the event loop, as a long synchronous computation would. */
function busyWait(ms: number): void {
  const end = performance.now() + ms;
  let spins = 0;
  while (performance.now() < end) spins++;
  expect(spins).toBeGreaterThan(0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a stalled or restarted server', () => {
  test('a stall of the event loop longer than the TTL marks no live node down', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'berth-heartbeats-'));
    dirs.push(dataDir);
    const stalls: number[] = [];
    running = await startServer({
      dataDir,
      httpPort: 0,
      heartbeat: { ttlMs: 300, graceMs: 0, onStall: (ms) => stalls.push(ms) },
    });
    const s = running;
    const nodes = [agentNode(), agentNode()];
    agents.push(...(await Promise.all(nodes.map((n) => startBeatingAgent(s.address, n, 50)))));
    const marked = downMarks(s.store);

    // Five TTLs without a turn of the event loop: the agents' beats wait in the sockets.
    busyWait(1_500);
    await sleep(600);
    expect(marked).toEqual([]);
    expect(stalls.length).toBeGreaterThan(0);
    expect(nodes.map((n) => s.store.nodeByID(n.ID)?.Status)).toEqual(['ready', 'ready']);

    // Expiry still works: agents that stop beating are found down.
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await waitForState(s.store, () =>
      nodes.every((n) => s.store.nodeByID(n.ID)?.Status === 'down'),
    );
  });

  test('a server stopped for longer than the TTL gives every node a fresh TTL when it starts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'berth-heartbeats-'));
    dirs.push(dataDir);
    const heartbeat = { ttlMs: 300, graceMs: 0, startupGraceMs: 500 };
    const first = await startServer({ dataDir, httpPort: 0, heartbeat });
    const port = Number(new URL(first.address).port);
    const live = agentNode();
    const gone = agentNode();
    agents.push(await startBeatingAgent(first.address, live, 50));
    const goneAgent = await startBeatingAgent(first.address, gone, 50);
    await goneAgent.stop();
    await first.close();

    // Down for two TTLs; `live`'s agent keeps trying, `gone`'s never comes back.
    await sleep(600);
    running = await startServer({ dataDir, httpPort: port, heartbeat });
    const s = running;
    const marked = downMarks(s.store);
    expect([s.store.nodeByID(live.ID)?.Status, s.store.nodeByID(gone.ID)?.Status]).toEqual([
      'ready',
      'ready',
    ]);
    await waitForState(s.store, () => s.store.nodeByID(gone.ID)?.Status === 'down');
    await sleep(400);
    expect(marked).toEqual([gone.ID]);
    expect(s.store.nodeByID(live.ID)?.Status).toBe('ready');
  });
});
