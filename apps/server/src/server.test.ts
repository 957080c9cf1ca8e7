import { createClient } from '@berth/client';
import { JobSchema, NodeSchema, type Job, type Node } from '@berth/contract';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { checkListenAddress, startServer, type RunningServer } from './server.js';
import { openStateStore, type StateStore } from './state/index.js';
import { seed } from './test-support/harness.js';
import { mockEval, mockJob, mockNode } from './test-support/mock.js';
import { waitForState } from './test-support/wait-for-state.js';

let dataDir: string;
let server: RunningServer | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'berth-server-'));
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

test('a started server schedules pending evaluations, including those stored before it started', async () => {
  server = await startServer({ dataDir, httpPort: 0 });
  const job = mockJob(); // 10 allocations; each node holds 8
  const ev = mockEval({ JobID: job.ID, TriggeredBy: 'job-register' });
  await seed(server.store, { nodes: [mockNode(), mockNode()], jobs: [job] });
  await server.close();

  // Written while no server runs: the next one picks it up on start.
  const offline = openStateStore({ dataDir });
  await seed(offline, { evals: [ev] });
  offline.close();

  server = await startServer({ dataDir, httpPort: 0 });
  const running = server;
  await waitForState(running.store, () => running.store.evalByID(ev.ID)?.Status === 'complete');
  const client = createClient({ address: running.address });
  const { data } = await client.evaluations.allocations(ev.ID);
  expect(data).toHaveLength(10);
  expect(data.every((a) => a.DesiredStatus === 'run')).toBe(true);
});

/** A job of `count` small instances (no ports), so that many fit on one node. */
function smallJob(count: number): Job {
  const job = mockJob();
  return JobSchema.parse({
    ...job,
    TaskGroups: (job.TaskGroups ?? []).map((g) => ({
      ...g,
      Count: count,
      Tasks: (g.Tasks ?? []).map((t) => ({ ...t, Resources: { CPU: 10, MemoryMB: 10 } })),
    })),
  });
}

/** A ready node with room for thousands of {@link smallJob} instances. */
function bigNode(): Node {
  const node = mockNode();
  return NodeSchema.parse({
    ...node,
    NodeResources: {
      ...node.NodeResources,
      Cpu: { CpuShares: 100_000 },
      Memory: { MemoryMB: 100_000 },
    },
  });
}

const pendingEvals = (store: StateStore) =>
  store.evalsByNamespace('*').filter((e) => e.Status === 'pending');

test('a server restarted on a large backlog answers reads before the backlog is worked', async () => {
  // Written while no server runs, as after a crash: 200 jobs of 20 placements each, one pending
  // registration evaluation per job.
  const jobs = Array.from({ length: 200 }, () => smallJob(20));
  const offline = openStateStore({ dataDir });
  await seed(offline, {
    nodes: Array.from({ length: 10 }, bigNode),
    jobs,
    evals: jobs.map((j) => mockEval({ JobID: j.ID, TriggeredBy: 'job-register' })),
  });
  offline.close();

  server = await startServer({ dataDir, httpPort: 0 });
  const running = server;
  const res = await fetch(`${running.address}/v1/jobs`);
  expect(res.status).toBe(200);
  expect(await res.json()).toHaveLength(200);
  // Answered while most of the backlog still waits for the scheduler.
  expect(pendingEvals(running.store).length).toBeGreaterThan(100);

  // And the backlog is then worked through: every job fully placed.
  await waitForState(running.store, () => pendingEvals(running.store).length === 0);
  expect(running.store.evalsByNamespace('*').every((e) => e.Status === 'complete')).toBe(true);
  expect(running.store.allocsByNamespace('*')).toHaveLength(200 * 20);
});

test.each(['0.0.0.0', '::', '10.1.2.3'])(
  'a server asked to listen on %s with ACLs off refuses to start, before opening its state',
  async (bind) => {
    const fresh = join(dataDir, 'never-created');
    await expect(startServer({ bind, httpPort: 0, dataDir: fresh })).rejects.toThrow(
      `refusing to listen on ${bind} with ACLs off`,
    );
    expect(existsSync(fresh)).toBe(false);
  },
);

test('the refusal says how to turn ACLs on and how to accept an open server', () => {
  expect(() => checkListenAddress({ bind: '0.0.0.0' })).toThrow(
    /Start the server with --acl, then create the first management token with POST \/v1\/acl\/bootstrap .*or pass --insecure to accept an open server/,
  );
});

test('loopback addresses need neither ACLs nor --insecure, and give no warning', () => {
  expect(checkListenAddress({})).toEqual([]);
  expect(checkListenAddress({ bind: 'localhost' })).toEqual([]);
  expect(checkListenAddress({ bind: '::1' })).toEqual([]);
  expect(checkListenAddress({ bind: '0.0.0.0', acl: true })).toEqual([]);
  expect(checkListenAddress({ bind: '0.0.0.0', acl: true, insecure: true })).toEqual([]);
});

test('with insecure an open server listens beyond loopback and warns about it', async () => {
  server = await startServer({ bind: '0.0.0.0', insecure: true, httpPort: 0, dataDir });
  expect(server.warnings).toEqual([
    'listening on 0.0.0.0 with ACLs off (--insecure): anyone who can reach it can run any command on every node',
  ]);
  const port = new URL(server.address).port;
  const res = await fetch(`http://127.0.0.1:${port}/v1/jobs`);
  expect(res.status).toBe(200);
});

test('with ACLs on a server listens beyond loopback without a warning', async () => {
  server = await startServer({ bind: '0.0.0.0', acl: true, httpPort: 0, dataDir });
  expect(server.warnings).toEqual([]);
  const port = new URL(server.address).port;
  // Anonymous, with no anonymous policy: nothing is granted.
  const res = await fetch(`http://127.0.0.1:${port}/v1/jobs`);
  expect(res.status).toBe(403);
  expect(await res.text()).toBe('Permission denied');
});

test('with ACLs on, bootstrap answers once, and again through the reset file in the data dir', async () => {
  server = await startServer({ acl: true, httpPort: 0, dataDir });
  const bootstrap = () => fetch(`${server!.address}/v1/acl/bootstrap`, { method: 'POST' });
  const first = await bootstrap();
  expect(first.status).toBe(200);
  const token = (await first.json()) as { Type: string; SecretID: string; CreateIndex: number };
  expect(token.Type).toBe('management');
  const jobs = await fetch(`${server.address}/v1/jobs`, {
    headers: { 'X-Nomad-Token': token.SecretID },
  });
  expect(jobs.status).toBe(200);

  const again = await bootstrap();
  expect(again.status).toBe(400);
  expect(await again.text()).toBe(`ACL bootstrap already done (reset index: ${token.CreateIndex})`);
  writeFileSync(join(dataDir, 'acl-bootstrap-reset'), `${token.CreateIndex}`);
  const reset = await bootstrap();
  expect(reset.status).toBe(200);
  expect(((await reset.json()) as { SecretID: string }).SecretID).not.toBe(token.SecretID);
});

test('with ACLs off, the ACL API says so and tokens are ignored', async () => {
  server = await startServer({ httpPort: 0, dataDir });
  const res = await fetch(`${server.address}/v1/acl/bootstrap`, { method: 'POST' });
  expect(res.status).toBe(400);
  expect(await res.text()).toBe('ACL support disabled');
  const jobs = await fetch(`${server.address}/v1/jobs`, { headers: { 'X-Nomad-Token': 'nope' } });
  expect(jobs.status).toBe(200);
});

test(
  'close() is not held by a connection that never sends a request',
  { timeout: 30_000 },
  async () => {
    server = await startServer({ dataDir, httpPort: 0 });
    const { port } = new URL(server.address);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((done) => socket.once('connect', () => done()));
    const ended = new Promise<void>((done) => socket.once('close', () => done()));
    // Without the grace the server's headers timeout (60 s) would end it: past the test's timeout.
    await server.close();
    server = undefined;
    await ended;
  },
);
