// A server process SIGKILLed at random moments (fixed seed) while three clients write (job
// registers, allocation stops, node registers and heartbeats), then restarted on the same data
// directory, 20 times: no acknowledged write is lost, no index goes backwards, and no evaluation
// or allocation is duplicated for the same trigger.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Allocation, Evaluation } from '@berth/contract';
import fc from 'fast-check';
import { afterAll, expect, test } from 'vitest';
import { openStateStore } from '../src/state/index.js';
import { seed } from '../src/test-support/harness.js';
import { mockAlloc, mockJob, mockNode } from '../src/test-support/mock.js';
import { requestJson, type JsonAnswer } from './support/request-json.js';
import { exited, startServerProcess } from './support/server-process.js';

const SEED = 7_2026;
const KILLS = 20;
/** Allocations seeded for the stop writer: more than it can stop in the whole run. */
const ALLOCS = 300;

const dataDir = mkdtempSync(join(tmpdir(), 'berth-crash-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const uuid = (kind: number, i: number) =>
  `00000000-0000-4000-8${kind.toString(16).padStart(3, '0')}-${i.toString(16).padStart(12, '0')}`;

/** Roomy nodes, so every placement fits and no evaluation stays blocked. */
const nodes = [0, 1, 2].map((i) => ({
  ...mockNode({
    ID: uuid(1, i),
    HTTPAddr: '127.0.0.1:1',
    NodeResources: {
      Cpu: { CpuShares: 1_000_000, TotalCpuCores: 0, ReservableCpuCores: null },
      Memory: { MemoryMB: 1_000_000 },
      Disk: { DiskMB: 1_000_000 },
      Processors: { Topology: null },
      Devices: null,
      NodeNetworks: null,
      Networks: null,
      MinDynamicPort: 20000,
      MaxDynamicPort: 32000,
    },
  }),
  SecretID: uuid(2, i),
}));
const seededJob = mockJob({ ID: 'crash-seeded', Name: 'crash-seeded' });
const seededJobBody = {
  ...seededJob,
  TaskGroups: seededJob.TaskGroups!.map((g) => ({ ...g, Count: ALLOCS })),
};
const allocIDs = Array.from({ length: ALLOCS }, (_, i) => uuid(3, i));

/** What the server acknowledged, and with which index. */
const acked = {
  jobs: new Map<string, { evalID: string; jobModifyIndex: number; index: number }>(),
  stops: new Map<string, { evalID: string; index: number }>(),
  nodes: new Map<string, { secret: string; index: number }>(),
};
/** The highest index acknowledged so far, per table and overall. */
const highest = { jobs: 0, allocs: 0, nodes: 0, any: 0 };
const attempted = { registers: 0, stops: 0 };

function smallJob(id: string) {
  return {
    Job: {
      ID: id,
      Name: id,
      Type: 'service',
      Datacenters: ['dc1'],
      TaskGroups: [
        {
          Name: 'web',
          Count: 1,
          Tasks: [
            {
              Name: 'web',
              Driver: 'raw_exec',
              Config: { command: '/bin/true' },
              Resources: { CPU: 10, MemoryMB: 10 },
            },
          ],
        },
      ],
    },
  };
}

function nodeBody(id: string, secret: string) {
  return {
    ...nodes[0]!,
    CreateIndex: 0,
    ModifyIndex: 0,
    ID: id,
    SecretID: secret,
    Name: `crash-${id.slice(-4)}`,
    Status: 'ready',
  };
}

/** An answer that must be a 200 with an index; anything else fails the test. */
function ok(answer: JsonAnswer, what: string): Record<string, unknown> {
  expect(answer.status, `${what}: ${answer.text}`).toBe(200);
  return answer.body as Record<string, unknown>;
}

/**
 * What one write was acknowledged with. A write that created something must get a new index; an
 * idempotent one (a heartbeat that changed nothing answers its node's ModifyIndex) must not answer
 * less than it did before for the same `key`.
 */
type Ack = { index: number; created: true } | { index: number; created: false; key: string };

/** The last index acknowledged for each idempotent write's key, across restarts. */
const lastByKey = new Map<string, number>();

/**
 * One writer: calls `step` until it returns nothing or the server goes away. A new object must get
 * an index above `floor` (everything acknowledged before this server started) and above the
 * writer's previous one.
 */
async function writer(
  floor: number,
  killed: () => boolean,
  step: () => Promise<Ack | undefined>,
): Promise<void> {
  let previous = floor;
  for (;;) {
    let ack: Ack | undefined;
    try {
      ack = await step();
    } catch (error) {
      // A request cut by the kill (a socket error) is unacknowledged: it may or may not have been
      // applied. Anything else (a failed expectation, a hang) fails the test.
      if (killed() && error instanceof Error && 'code' in error) return;
      throw error;
    }
    if (ack === undefined) return;
    if (ack.created) {
      expect(ack.index).toBeGreaterThan(previous);
      previous = ack.index;
    } else {
      expect(ack.index).toBeGreaterThanOrEqual(lastByKey.get(ack.key) ?? 0);
      lastByKey.set(ack.key, ack.index);
    }
    highest.any = Math.max(highest.any, ack.index);
  }
}

/** Reads back every acknowledged write and the tables' indexes after a restart. */
async function checkAcknowledged(address: string): Promise<void> {
  const jobs = await requestJson(address, 'GET', '/v1/jobs?prefix=crash-');
  const jobStubs = new Map(
    (ok(jobs, 'list jobs') as unknown as { ID: string; JobModifyIndex: number }[]).map((j) => [
      j.ID,
      j,
    ]),
  );
  expect(jobs.index).toBeGreaterThanOrEqual(highest.jobs);
  for (const [id, ack] of acked.jobs) {
    expect(jobStubs.get(id)?.JobModifyIndex, `job ${id}`).toBe(ack.jobModifyIndex);
  }

  const allocs = await requestJson(address, 'GET', '/v1/allocations?task_states=false');
  const allocStubs = new Map(
    (ok(allocs, 'list allocations') as unknown as { ID: string; ModifyIndex: number }[]).map(
      (a) => [a.ID, a],
    ),
  );
  expect(allocs.index).toBeGreaterThanOrEqual(highest.allocs);
  for (const [id, ack] of acked.stops) {
    expect(allocStubs.get(id)?.ModifyIndex, `alloc ${id}`).toBeGreaterThanOrEqual(ack.index);
  }

  const nodeList = await requestJson(address, 'GET', '/v1/nodes');
  const nodeIDs = new Set(
    (ok(nodeList, 'list nodes') as unknown as { ID: string }[]).map((n) => n.ID),
  );
  expect(nodeList.index).toBeGreaterThanOrEqual(highest.nodes);
  for (const id of acked.nodes.keys()) expect(nodeIDs.has(id), `node ${id}`).toBe(true);
}

/** Starts the three writers against `address`; resolves when they have all stopped. */
function startWriters(address: string, killed: () => boolean, stopAt: () => boolean) {
  const floor = highest.any;
  const jobs = writer(floor, killed, async () => {
    if (stopAt()) return undefined;
    const id = `crash-job-${attempted.registers++}`;
    const body = ok(await requestJson(address, 'PUT', '/v1/jobs', { body: smallJob(id) }), id);
    const ack = {
      evalID: body.EvalID as string,
      jobModifyIndex: body.JobModifyIndex as number,
      index: body.Index as number,
    };
    acked.jobs.set(id, ack);
    highest.jobs = Math.max(highest.jobs, ack.jobModifyIndex);
    await sleep(5);
    return { index: ack.index, created: true };
  });
  const stops = writer(floor, killed, async () => {
    if (stopAt() || attempted.stops >= ALLOCS) return undefined;
    // Each allocation is stopped at most once, so its stop evaluation is its only one.
    const id = allocIDs[attempted.stops++]!;
    const body = ok(await requestJson(address, 'POST', `/v1/allocation/${id}/stop`), id);
    const ack = { evalID: body.EvalID as string, index: body.Index as number };
    acked.stops.set(id, ack);
    highest.allocs = Math.max(highest.allocs, ack.index);
    await sleep(10);
    return { index: ack.index, created: true };
  });
  let beat = 0;
  const nodeWrites = writer(floor, killed, async () => {
    if (stopAt()) return undefined;
    if (beat++ % 2 === 0) {
      const seeded = nodes[beat % nodes.length]!;
      const body = ok(
        await requestJson(address, 'PUT', `/v1/node/${seeded.ID}/heartbeat`, {
          body: { Status: 'ready' },
          token: seeded.SecretID,
        }),
        `heartbeat ${seeded.ID}`,
      );
      await sleep(10);
      // A heartbeat that changes nothing writes nothing: its index may equal the last one.
      return { index: body.Index as number, created: false, key: seeded.ID };
    }
    const id = uuid(5, beat);
    const secret = uuid(6, beat);
    const body = ok(
      await requestJson(address, 'POST', '/v1/node/register', { body: nodeBody(id, secret) }),
      `register ${id}`,
    );
    acked.nodes.set(id, { secret, index: body.NodeModifyIndex as number });
    highest.nodes = Math.max(highest.nodes, body.NodeModifyIndex as number);
    await sleep(10);
    return { index: body.Index as number, created: true };
  });
  return Promise.all([jobs, stops, nodeWrites]);
}

/** Waits until no evaluation is pending (the scheduler has worked its backlog), bounded. */
async function drained(address: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const evals = ok(await requestJson(address, 'GET', '/v1/evaluations'), 'list evaluations');
    if (!(evals as unknown as Evaluation[]).some((e) => e.Status === 'pending')) return;
    await sleep(100);
  }
  throw new Error('evaluations still pending after 20 s');
}

/** Every evaluation and allocation in the final state: none duplicated for one trigger. */
function checkNoDuplicates(): void {
  const store = openStateStore({ dataDir });
  try {
    const evals = store.evalsByIDPrefix('');
    const allocs: Allocation[] = store.allocsByIDPrefix('');
    // One job-register evaluation per registration (each job is registered once).
    const registers = new Map<string, number>();
    for (const e of evals.filter((e) => e.TriggeredBy === 'job-register')) {
      const key = `${e.JobID}@${e.JobModifyIndex}`;
      registers.set(key, (registers.get(key) ?? 0) + 1);
    }
    expect([...registers].filter(([, n]) => n > 1)).toEqual([]);
    expect(registers.size).toBeLessThanOrEqual(attempted.registers);
    // No more stop evaluations than stops sent (a replayed stop would add one).
    const stopEvals = evals.filter((e) => e.TriggeredBy === 'alloc-stop');
    expect(stopEvals.length).toBeLessThanOrEqual(attempted.stops);
    for (const [id, ack] of acked.stops) {
      expect(store.evalByID(ack.evalID)?.TriggeredBy, `stop eval of ${id}`).toBe('alloc-stop');
      expect(store.allocByID(id)?.DesiredTransition.Migrate, `alloc ${id}`).toBe(true);
    }
    for (const [id, ack] of acked.jobs) {
      expect(store.evalByID(ack.evalID)?.JobID, `register eval of ${id}`).toBe(id);
    }
    // At most one live allocation per name of a job, and one replacement per replaced allocation.
    const live = new Map<string, number>();
    const replacements = new Map<string, number>();
    for (const a of allocs) {
      if (a.DesiredStatus === 'run' && !['complete', 'failed', 'lost'].includes(a.ClientStatus)) {
        const key = `${a.JobID}/${a.Name}`;
        live.set(key, (live.get(key) ?? 0) + 1);
      }
      if (a.PreviousAllocation) {
        replacements.set(a.PreviousAllocation, (replacements.get(a.PreviousAllocation) ?? 0) + 1);
      }
    }
    expect([...live].filter(([, n]) => n > 1)).toEqual([]);
    expect([...replacements].filter(([, n]) => n > 1)).toEqual([]);
    console.log(
      `crash: final state holds ${evals.length} evaluations, ${allocs.length} allocations`,
    );
  } finally {
    store.close();
  }
}

test(
  `${KILLS} SIGKILLs under concurrent writes lose nothing acknowledged and duplicate nothing`,
  { timeout: 150_000 },
  async () => {
    const store = openStateStore({ dataDir });
    const allocs = allocIDs.map((id, i) =>
      mockAlloc({
        ID: id,
        Job: seededJobBody,
        NodeID: nodes[i % nodes.length]!.ID,
        Name: `crash-seeded.web[${i}]`,
      }),
    );
    await seed(store, { jobs: [seededJobBody], nodes, allocs });
    store.close();

    // When each kill comes, after the server listens: some early (during start-up work), most
    // while the writers are busy.
    const delays = fc.sample(fc.integer({ min: 0, max: 600 }), { seed: SEED, numRuns: KILLS });
    for (const delay of delays) {
      const server = await startServerProcess(dataDir, children);
      await checkAcknowledged(server.address);
      let killed = false;
      const writing = startWriters(
        server.address,
        () => killed,
        () => false,
      );
      // Its failure is awaited below; until then it must not count as unhandled.
      writing.catch(() => undefined);
      await sleep(delay);
      killed = true;
      server.child.kill('SIGKILL');
      await exited(server.child);
      await writing;
    }

    // A last, clean run: everything acknowledged is there, the backlog is worked once.
    const last = await startServerProcess(dataDir, children);
    await checkAcknowledged(last.address);
    const stopAt = Date.now() + 300;
    await startWriters(
      last.address,
      () => false,
      () => Date.now() > stopAt,
    );
    await drained(last.address);
    await checkAcknowledged(last.address);
    last.child.kill('SIGTERM');
    await exited(last.child);
    checkNoDuplicates();
    console.log(
      `crash: ${KILLS} kills; acknowledged ${acked.jobs.size} job registers, ` +
        `${acked.stops.size} stops, ${acked.nodes.size} node registers; highest index ${highest.any}`,
    );
    // The kills came while writes were in flight.
    expect(acked.jobs.size).toBeGreaterThan(KILLS);
    expect(acked.stops.size).toBeGreaterThan(KILLS);
  },
);
