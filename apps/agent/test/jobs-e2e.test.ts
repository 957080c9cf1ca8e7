// End to end, jobs: a real server and a real node agent (raw_exec, real processes) on loopback.
// A scale the scheduler carries out on the node, and a job summary followed through its
// allocations' states with blocking queries. Plain fetch: this package does not depend on
// @berth/client, and the blocking loop needs the X-Nomad-Index header of each answer.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type {
  Allocation,
  Job,
  JobScaleStatus,
  JobSummary,
  TaskGroupSummary,
} from '@berth/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { lines, recorderJob, startCluster, waitFor, type Cluster } from './support/cluster.js';

let cluster: Cluster | undefined;

afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

async function setup(serverConfig: Parameters<typeof startCluster>[1] = {}): Promise<Cluster> {
  cluster = await startCluster({}, serverConfig);
  return cluster;
}

const running = (allocs: Allocation[]) =>
  allocs.filter((a) => a.ClientStatus === 'running' && a.DesiredStatus === 'run');

/** The pid the recorder task of an allocation wrote (it records one per start). */
async function recorderPid(c: Cluster, node: string, allocID: string): Promise<number> {
  const dir = join(c.root, node, 'alloc', allocID);
  const pids = await waitFor(
    () => {
      const file = readdirSync(dir, { recursive: true, encoding: 'utf8' }).find((f) =>
        f.endsWith('pids'),
      );
      return file === undefined ? [] : lines(join(dir, file));
    },
    (l) => l.length === 1,
    30_000,
  );
  return Number(pids[0]);
}

/** Whether a process group still has a member. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** A JSON write to the server; throws with the answer on a non-2xx status. */
async function write<T>(c: Cluster, path: string, body: unknown): Promise<T> {
  const res = await fetch(c.server.address + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

type Counts = Pick<
  TaskGroupSummary,
  'Queued' | 'Starting' | 'Running' | 'Complete' | 'Failed' | 'Lost'
>;

const counts = (s: TaskGroupSummary | undefined): Counts => ({
  Queued: s?.Queued ?? 0,
  Starting: s?.Starting ?? 0,
  Running: s?.Running ?? 0,
  Complete: s?.Complete ?? 0,
  Failed: s?.Failed ?? 0,
  Lost: s?.Lost ?? 0,
});

/**
 * Follows `GET /v1/job/:id/summary` with blocking queries (each waits for an index past the last
 * answer's X-Nomad-Index) until `done` holds for the group's counts; returns every distinct set
 * of counts seen, in order. Gives up after `timeoutMs` (a hung server, not a slow one).
 */
async function followSummary(
  c: Cluster,
  jobID: string,
  group: string,
  done: (counts: Counts) => boolean,
  timeoutMs = 60_000,
): Promise<Counts[]> {
  const seen: Counts[] = [];
  const deadline = Date.now() + timeoutMs;
  let index = 0;
  for (;;) {
    const res = await fetch(`${c.server.address}/v1/job/${jobID}/summary?index=${index}&wait=5s`);
    if (!res.ok) throw new Error(`summary of ${jobID}: ${res.status} ${await res.text()}`);
    const next = Number(res.headers.get('x-nomad-index'));
    expect(next).toBeGreaterThanOrEqual(index);
    index = next;
    const now = counts(((await res.json()) as JobSummary).Summary?.[group]);
    if (JSON.stringify(now) !== JSON.stringify(seen.at(-1))) seen.push(now);
    if (done(now)) return seen;
    if (Date.now() > deadline) {
      throw new Error(`summary of ${jobID} never reached the state; seen ${JSON.stringify(seen)}`);
    }
  }
}

/** A batch job whose one raw_exec task runs `script` in /bin/sh, with no restart or reschedule. */
function batchJob(id: string, script: string): Partial<Job> {
  return {
    ID: id,
    Name: id,
    Type: 'batch',
    Datacenters: ['dc1'],
    TaskGroups: [
      {
        Name: 'work',
        Count: 1,
        RestartPolicy: { Attempts: 0, Interval: 60e9, Delay: 1e9, Mode: 'fail' },
        ReschedulePolicy: { Attempts: 0, Unlimited: false, Interval: 0, Delay: 5e9 },
        Tasks: [
          {
            Name: 'script',
            Driver: 'raw_exec',
            Config: { command: '/bin/sh', args: ['-c', script] },
            Resources: { CPU: 10, MemoryMB: 10 },
          },
        ],
      },
    ],
  } as unknown as Partial<Job>;
}

const none = counts(undefined);

/**
 * Checks that the summaries seen follow the allocation's life in order (a state may be skipped
 * when two writes land between blocking answers, but never revisited or reordered).
 */
function expectInOrder(seen: Counts[], life: Counts[]): void {
  const steps = seen.map((s) => life.findIndex((l) => JSON.stringify(l) === JSON.stringify(s)));
  expect(steps, JSON.stringify(seen)).not.toContain(-1);
  expect(steps).toEqual([...steps].sort((a, b) => a - b));
  expect(new Set(steps).size).toBe(steps.length);
}

// Generous: real processes on a machine that may be loaded; nothing here asserts a speed.
describe('berth end to end: jobs on a real node', { timeout: 120_000 }, () => {
  it('scales a service group up and down, and the node starts and stops the processes', async () => {
    const c = await setup();
    await c.startAgent('n1');
    await c.api('PUT', '/v1/jobs', { Job: recorderJob('scaler', 1) });
    await followSummary(c, 'scaler', 'app', (s) => s.Running === 1);

    const up = await write<{ EvalID: string }>(c, '/v1/job/scaler/scale', {
      Count: 3,
      Target: { Group: 'app' },
      Message: 'three for the launch',
    });
    expect(up.EvalID).toMatch(/^[0-9a-f-]{36}$/);
    await followSummary(c, 'scaler', 'app', (s) => s.Running === 3);
    const three = running(await c.allocsOf('scaler'));
    expect(three.map((a) => a.Name).sort()).toEqual([
      'scaler.app[0]',
      'scaler.app[1]',
      'scaler.app[2]',
    ]);
    const pids = new Map<string, number>();
    for (const a of three) pids.set(a.Name, await recorderPid(c, 'n1', a.ID));
    expect(new Set(pids.values()).size).toBe(3);
    for (const pid of pids.values()) expect(groupAlive(pid)).toBe(true);

    const status = await c.api<JobScaleStatus>('GET', '/v1/job/scaler/scale');
    expect(status.TaskGroups?.['app']).toMatchObject({ Desired: 3, Placed: 3, Running: 3 });
    expect(status.TaskGroups?.['app']?.Events?.[0]).toMatchObject({
      Count: 3,
      PreviousCount: 1,
      Message: 'three for the launch',
      Error: false,
      EvalID: up.EvalID,
    });

    const down = await write<{ EvalID: string }>(c, '/v1/job/scaler/scale', {
      Count: 1,
      Target: { Group: 'app' },
      Message: 'quiet again',
    });
    const summary = await followSummary(
      c,
      'scaler',
      'app',
      (s) => s.Running === 1 && s.Complete === 2,
    );
    expect(summary.at(-1)).toEqual({
      Queued: 0,
      Starting: 0,
      Running: 1,
      Complete: 2,
      Failed: 0,
      Lost: 0,
    });
    const after = await c.allocsOf('scaler');
    const stopped = after.filter((a) => a.DesiredStatus === 'stop');
    // As Nomad's scheduler, a scale down stops the highest-numbered allocations.
    expect(stopped.map((a) => [a.Name, a.ClientStatus]).sort()).toEqual([
      ['scaler.app[1]', 'complete'],
      ['scaler.app[2]', 'complete'],
    ]);
    expect(running(after).map((a) => a.Name)).toEqual(['scaler.app[0]']);
    // The stopped allocations' processes are gone; the kept one still runs.
    expect(groupAlive(pids.get('scaler.app[1]')!)).toBe(false);
    expect(groupAlive(pids.get('scaler.app[2]')!)).toBe(false);
    expect(groupAlive(pids.get('scaler.app[0]')!)).toBe(true);

    const final = await c.api<JobScaleStatus>('GET', '/v1/job/scaler/scale');
    expect(final.TaskGroups?.['app']).toMatchObject({ Desired: 1, Placed: 1, Running: 1 });
    expect(
      final.TaskGroups?.['app']?.Events?.map((e) => [
        e.Count,
        e.PreviousCount,
        e.Message,
        e.EvalID,
      ]),
    ).toEqual([
      [1, 3, 'quiet again', down.EvalID],
      [3, 1, 'three for the launch', up.EvalID],
    ]);
  });

  it('a batch task that exits 0 takes the summary through Running to Complete', async () => {
    const c = await setup();
    await c.startAgent('n1');
    await c.api('PUT', '/v1/jobs', { Job: batchJob('ok', 'sleep 3; exit 0') });
    const seen = await followSummary(c, 'ok', 'work', (s) => s.Complete === 1);
    // Placed (pending on the node: Starting), running, then complete; the task runs for 3 s, so
    // the Running answer cannot be skipped.
    expectInOrder(seen, [
      none,
      { ...none, Starting: 1 },
      { ...none, Running: 1 },
      { ...none, Complete: 1 },
    ]);
    expect(seen).toContainEqual({ ...none, Running: 1 });
    expect(seen.at(-1)).toEqual({ ...none, Complete: 1 });
    const allocs = await c.allocsOf('ok');
    expect(allocs.map((a) => [a.ClientStatus, a.TaskStates?.['script']?.State])).toEqual([
      ['complete', 'dead'],
    ]);
    expect((await c.api<Job>('GET', '/v1/job/ok')).Status).toBe('dead');
  });

  it('a batch task that exits 1, with no restart or reschedule, ends Failed', async () => {
    const c = await setup();
    await c.startAgent('n1');
    await c.api('PUT', '/v1/jobs', { Job: batchJob('bad', 'sleep 3; exit 1') });
    const seen = await followSummary(c, 'bad', 'work', (s) => s.Failed === 1);
    expectInOrder(seen, [
      none,
      { ...none, Starting: 1 },
      { ...none, Running: 1 },
      { ...none, Failed: 1 },
    ]);
    expect(seen).toContainEqual({ ...none, Running: 1 });
    expect(seen.at(-1)).toEqual({ ...none, Failed: 1 });
    const [alloc, ...others] = await c.allocsOf('bad');
    expect(others).toEqual([]);
    expect(alloc?.ClientStatus).toBe('failed');
    const events = alloc?.TaskStates?.['script']?.Events ?? [];
    expect(events.find((e) => e.Type === 'Terminated')?.ExitCode).toBe(1);
    expect(alloc?.TaskStates?.['script']?.Failed).toBe(true);
    expect((await c.api<Job>('GET', '/v1/job/bad')).Status).toBe('dead');
  });

  it('an allocation on a node that goes down is counted Lost', async () => {
    const c = await setup({ heartbeat: { ttlMs: 400, graceMs: 200 } });
    const agent = await c.startAgent('n1');
    await c.api('PUT', '/v1/jobs', { Job: recorderJob('orphan', 1) });
    await followSummary(c, 'orphan', 'app', (s) => s.Running === 1);
    await agent.close();
    // The node-down evaluation marks the allocation lost and tries to replace it; with no other
    // node the replacement stays queued (the evaluation's QueuedAllocations, as in Nomad).
    const seen = await followSummary(c, 'orphan', 'app', (s) => s.Lost === 1 && s.Queued === 1);
    expect(seen.at(-1)).toEqual({ ...none, Queued: 1, Lost: 1 });
    const allocs = await c.allocsOf('orphan');
    expect(allocs.map((a) => a.ClientStatus)).toEqual(['lost']);
  });
});
