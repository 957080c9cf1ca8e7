// A server that stopped (or crashed) with evaluations in every state starts again on the same
// SQLite file: each pending evaluation is processed once, and a start with no write since the last
// one creates no evaluation and runs no scheduler, as Nomad's leader restores its broker and
// blocked evaluations from the state and creates nothing.
import {
  EvalStatus,
  JobSchema,
  type Evaluation,
  type Job,
  type NodeRegistration,
} from '@berth/contract';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startBeatingAgent, type BeatingAgent } from '../src/nodes/testing/beating-agent.js';
import {
  defaultSchedulers,
  startScheduling,
  type SchedulerFactory,
} from '../src/scheduler/index.js';
import { startServer, type RunningServer } from '../src/server.js';
import { openStateStore, type StateStore } from '../src/state/index.js';
import { seed } from '../src/test-support/harness.js';
import { MINUTE, mockAlloc, mockEval, mockJob, mockNode } from '../src/test-support/mock.js';
import { waitForState } from '../src/test-support/wait-for-state.js';

let dataDir: string;
const agents: BeatingAgent[] = [];
let server: RunningServer | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'berth-restart-'));
});

afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop()));
  await server?.close();
  server = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

/** A service job of `count` instances of 100 MHz; `placeable: false` fits no node. */
function jobOf(count: number, placeable = true): Job {
  const job = mockJob();
  return JobSchema.parse({
    ...job,
    Constraints: placeable
      ? job.Constraints
      : [{ LTarget: '${attr.kernel.name}', RTarget: 'plan9', Operand: '=' }],
    TaskGroups: (job.TaskGroups ?? []).map((g) => ({
      ...g,
      Count: count,
      Tasks: (g.Tasks ?? []).map((t) => ({ ...t, Resources: { CPU: 100, MemoryMB: 64 } })),
    })),
  });
}

const statuses = (store: StateStore) =>
  Object.fromEntries(store.evalsByNamespace('*').map((e) => [e.ID, e.Status]));

/**
 * Opens the data directory and runs the scheduling loop until `done` holds (or, without it, until
 * the loop has had its chance to pick up what it loaded), then stops and closes everything.
 * Returns the evaluations each scheduler run was handed, and those created meanwhile.
 */
async function runScheduling(done?: (store: StateStore) => boolean) {
  const store = openStateStore({ dataDir });
  const before = new Set(store.evalsByNamespace('*').map((e) => e.ID));
  const runs: Evaluation[] = [];
  const counting =
    (factory: SchedulerFactory): SchedulerFactory =>
    (state, planner) => {
      const scheduler = factory(state, planner);
      return {
        process: (e) => {
          runs.push(e);
          return scheduler.process(e);
        },
      };
    };
  const scheduling = startScheduling(store, {
    schedulers: { service: counting(defaultSchedulers.service!) },
  });
  if (done) await waitForState(store, () => done(store));
  // A worker takes one evaluation per turn of the event loop: give it a few.
  for (let turn = 0; turn < 20; turn++) await nextTurn();
  await scheduling.blocked.settled();
  await scheduling.stop();
  const created = store.evalsByNamespace('*').filter((e) => !before.has(e.ID));
  const after = statuses(store);
  const allocs = store.allocsByNamespace('*');
  store.close();
  return { runs, created, statuses: after, allocs };
}

test('evaluations pending at a crash are processed once; a start with no writes creates none', async () => {
  const nodes = [mockNode(), mockNode()];
  const fits = jobOf(2);
  const triple = jobOf(1);
  const placed = jobOf(2);
  const blocked = jobOf(2, false);
  const unblocked = jobOf(2, false);
  const failing = jobOf(1);
  // Placed, but the crash came before its evaluation was written complete.
  const placedAllocs = nodes.map((n, i) =>
    mockAlloc({
      Job: placed,
      JobID: placed.ID,
      NodeID: n.ID,
      Name: `${placed.Name}.web[${i}]`,
      ClientStatus: 'running',
    }),
  );
  const failed = mockEval({ JobID: failing.ID, Status: EvalStatus.Failed });
  const evals = {
    fits: mockEval({ JobID: fits.ID, TriggeredBy: 'job-register' }),
    placed: mockEval({ JobID: placed.ID, TriggeredBy: 'job-register' }),
    blocked: mockEval({ JobID: blocked.ID, TriggeredBy: 'queued-allocs', Status: 'blocked' }),
    // Written back to pending by the blocked-evals tracker just before the crash.
    unblocked: mockEval({ JobID: unblocked.ID, TriggeredBy: 'queued-allocs' }),
    followup: mockEval({
      JobID: failing.ID,
      TriggeredBy: 'failed-follow-up',
      PreviousEval: failed.ID,
      Wait: MINUTE,
    }),
  };
  const offline = openStateStore({ dataDir });
  await seed(offline, {
    nodes,
    jobs: [fits, triple, placed, blocked, unblocked, failing],
    allocs: placedAllocs,
    evals: [failed, ...Object.values(evals)],
  });
  // Three evaluations of one job, written one after the other.
  const tripleEvals = ['job-register', 'node-update', 'job-register'].map((trigger) =>
    mockEval({ JobID: triple.ID, TriggeredBy: trigger }),
  );
  for (const e of tripleEvals) await seed(offline, { evals: [e] });
  const stored = statuses(offline);
  offline.close();

  const first = await runScheduling((store) =>
    store.evalsByNamespace('*').every((e) => e.Status !== 'pending' || e.ID === evals.followup.ID),
  );
  // Each pending evaluation was handed to the scheduler once at most; the job with three had its
  // middle one cancelled as superseded (Nomad's broker does the same).
  const ran = first.runs.map((e) => e.ID);
  expect(new Set(ran).size).toBe(ran.length);
  expect(ran).toEqual(expect.arrayContaining([evals.fits.ID, evals.placed.ID, evals.unblocked.ID]));
  expect(ran.filter((id) => tripleEvals.some((e) => e.ID === id))).toHaveLength(2);
  expect(ran).toHaveLength(5);
  // The one unblocked before the crash is still the job's blocked evaluation, not a new one.
  expect(first.created).toEqual([]);
  expect(first.runs.find((e) => e.ID === evals.unblocked.ID)?.Status).toBe('blocked');
  expect(first.statuses).toEqual({
    ...stored,
    [evals.fits.ID]: 'complete',
    [evals.placed.ID]: 'complete',
    [evals.unblocked.ID]: 'blocked',
    [tripleEvals[0]!.ID]: 'complete',
    [tripleEvals[1]!.ID]: 'canceled',
    [tripleEvals[2]!.ID]: 'complete',
  });
  // Nothing placed twice: the allocations made before the crash were kept.
  const allocsOf = (job: Job) => first.allocs.filter((a) => a.JobID === job.ID);
  expect(allocsOf(fits)).toHaveLength(2);
  expect(allocsOf(triple)).toHaveLength(1);
  expect(
    allocsOf(placed)
      .map((a) => a.ID)
      .sort(),
  ).toEqual(placedAllocs.map((a) => a.ID).sort());

  // Started again twice with no write in between: no scheduler run, no evaluation, no change.
  for (let restart = 0; restart < 2; restart++) {
    const again = await runScheduling();
    expect(again.runs).toEqual([]);
    expect(again.created).toEqual([]);
    expect(again.statuses).toEqual(first.statuses);
  }
});

test('a server restarted while its agents keep beating creates no evaluation and marks no node down', async () => {
  const heartbeat = { ttlMs: 300, graceMs: 0 };
  const first = await startServer({ dataDir, httpPort: 0, heartbeat });
  const port = Number(new URL(first.address).port);
  const nodes = [0, 1].map((): NodeRegistration => ({
    ...mockNode(),
    Status: 'initializing',
    SecretID: randomUUID(),
  }));
  for (const n of nodes) agents.push(await startBeatingAgent(first.address, n, 50));
  const registered = await fetch(`${first.address}/v1/jobs`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ Job: jobOf(4) }),
  });
  expect(registered.status).toBe(200);
  const { EvalID } = (await registered.json()) as { EvalID: string };
  await waitForState(first.store, () => first.store.evalByID(EvalID)?.Status === 'complete');
  const before = statuses(first.store);
  const allocsBefore = first.store.allocsByNamespace('*').map((a) => a.ID);
  expect(allocsBefore).toHaveLength(4);
  await first.close();

  // Down for two TTLs while the agents keep trying; then up again on the same address.
  await new Promise((resolve) => setTimeout(resolve, 600));
  server = await startServer({ dataDir, httpPort: port, heartbeat });
  const s = server;
  const downs: string[] = [];
  s.store.onCommit((commit) => {
    for (const { after } of commit.changes('nodes')) {
      if (after?.Status === 'down') downs.push(after.ID);
    }
  });
  // Several TTLs in which the agents register again and heartbeat.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(downs).toEqual([]);
  expect(statuses(s.store)).toEqual(before);
  expect(s.store.allocsByNamespace('*').map((a) => a.ID)).toEqual(allocsBefore);
  expect(nodes.map((n) => s.store.nodeByID(n.ID)?.Status)).toEqual(['ready', 'ready']);
});

test('an agent that restarts with only new fingerprint times creates no evaluation', async () => {
  // A TTL the agent's restart stays well within: this is about what the registration changes.
  server = await startServer({ dataDir, httpPort: 0, heartbeat: { ttlMs: 10_000 } });
  const s = server;
  const base = mockNode();
  const fingerprinted = (at: string): NodeRegistration => ({
    ...base,
    Status: 'initializing',
    SecretID: 'b5a0c3a2-6c1f-4a55-9a4f-0f6b0d5e6a11',
    Drivers: {
      raw_exec: {
        Detected: true,
        Healthy: true,
        HealthDescription: 'Healthy',
        UpdateTime: at,
        Attributes: {},
      },
    },
  });
  const agent = await startBeatingAgent(s.address, fingerprinted('2026-01-01T00:00:00Z'), 50);
  agents.push(agent);
  const registered = await fetch(`${s.address}/v1/jobs`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ Job: jobOf(2) }),
  });
  const { EvalID } = (await registered.json()) as { EvalID: string };
  await waitForState(s.store, () => s.store.evalByID(EvalID)?.Status === 'complete');
  expect(s.store.allocsByNode(base.ID)).toHaveLength(2);
  const before = statuses(s.store);

  // The same node, its drivers fingerprinted again a minute later: no feasibility check reads
  // UpdateTime, so the jobs on it are not evaluated again.
  await agent.stop();
  agents.push(await startBeatingAgent(s.address, fingerprinted('2026-01-01T00:01:00Z'), 50));
  expect(s.store.nodeByID(base.ID)?.Drivers?.raw_exec?.UpdateTime).toBe('2026-01-01T00:01:00Z');
  expect(statuses(s.store)).toEqual(before);
});
