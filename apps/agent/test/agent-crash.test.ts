// The agent killed with SIGKILL at random moments (a fixed seed) while the server places, stops
// and restarts allocations of a raw_exec job, and started again each time on the same data
// directory. Afterwards no task has been started twice, every running allocation is re-attached,
// and the allocations agree with the processes really running.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Allocation } from '@berth/contract';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnAgentProcess, type AgentProcess } from './support/agent-process.js';
import {
  killRecorded,
  lines,
  RECORDER,
  recorderJob,
  startCluster,
  waitFor,
  type Cluster,
} from './support/cluster.js';

const SEED = 20261206;
const KILLS = 22;
const JOB = 'crash';

type Op =
  | { kind: 'scale'; count: number }
  | { kind: 'stop'; pick: number }
  | { kind: 'restart'; pick: number };

interface Step {
  /** Kill once the node is ready (else counted from the spawn: during start-up and re-attach). */
  afterReady: boolean;
  killAfterMs: number;
  op: Op;
}

const plan: Step[] = fc.sample(
  fc.record({
    afterReady: fc.boolean(),
    killAfterMs: fc.integer({ min: 0, max: 1200 }),
    op: fc.oneof(
      fc.record({ kind: fc.constant('scale' as const), count: fc.integer({ min: 0, max: 4 }) }),
      fc.record({ kind: fc.constant('stop' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('restart' as const), pick: fc.nat() }),
    ),
  }),
  { seed: SEED, numRuns: KILLS },
);

let cluster: Cluster | undefined;
const agents: AgentProcess[] = [];

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.child.kill('SIGKILL');
  if (cluster === undefined) return;
  killRecorded(pidFiles(cluster.root));
  await cluster.close().catch(() => {});
  cluster = undefined;
});

function pidFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('pids'))
    .map((f) => join(root, f));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The pids the recorder of an allocation wrote, one per start of its process. */
const startsOf = (dataDir: string, allocID: string) =>
  lines(join(dataDir, 'alloc', allocID, 'recorder', 'pids'));

/** The recorder processes alive now that run under `root` (this test's tasks only). */
function liveRecorders(root: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (!readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(RECORDER)) continue;
      if (!readlinkSync(`/proc/${name}/cwd`).startsWith(root)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z') continue;
      pids.push(Number(name));
    } catch (error) {
      // Exited while being read.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return pids.sort((a, b) => a - b);
}

const wantsRun = (a: Allocation) => a.DesiredStatus === 'run';
const clientTerminal = (a: Allocation) => ['complete', 'failed', 'lost'].includes(a.ClientStatus);

describe('the agent killed at random moments', () => {
  it(`never starts a task twice and re-attaches to every running allocation (${KILLS} SIGKILLs)`, async () => {
    const c = (cluster = await startCluster({}));
    const dataDir = join(c.root, 'n1');
    const spawnAgent = () => {
      const agent = spawnAgentProcess({
        server: c.server.address,
        dataDir,
        nodeName: 'n1',
        log: true,
      });
      lives.push(agent);
      agents.push(agent);
      return agent;
    };
    /** Restarts asked for, per allocation (each may start the task once more). */
    const restarts = new Map<string, number>();
    /** Every agent process, for the errors they logged should the test fail. */
    const lives: AgentProcess[] = [];
    const pending: Promise<unknown>[] = [];

    /** The running allocations a signal through the server does not reach (yet). */
    const unsignalled = async (running: Allocation[]): Promise<string[]> => {
      const refused: string[] = [];
      for (const alloc of running) {
        const res = await fetch(`${c.server.address}/v1/client/allocation/${alloc.ID}/signal`, {
          method: 'POST',
          body: JSON.stringify({ Signal: 'SIGUSR1' }),
        });
        if (res.status !== 200) refused.push(`${alloc.ID} ${res.status} ${await res.text()}`);
      }
      return refused;
    };

    const carryOut = async (op: Op): Promise<void> => {
      if (op.kind === 'scale') {
        await c.api('PUT', '/v1/jobs', { Job: recorderJob(JOB, op.count) });
        return;
      }
      const running = (await c.allocsOf(JOB)).filter(
        (a) => wantsRun(a) && a.ClientStatus === 'running',
      );
      const alloc = running[op.pick % Math.max(1, running.length)];
      if (alloc === undefined) return;
      if (op.kind === 'stop') {
        await c.api('POST', `/v1/allocation/${alloc.ID}/stop`);
        return;
      }
      restarts.set(alloc.ID, (restarts.get(alloc.ID) ?? 0) + 1);
      // The agent may be killed before it answers: any answer, or none, is fine here.
      await c.api('POST', `/v1/client/allocation/${alloc.ID}/restart`, {}).catch(() => undefined);
    };

    await c.api('PUT', '/v1/jobs', { Job: recorderJob(JOB, 2) });
    let readyKills = 0;
    for (const step of plan) {
      const agent = spawnAgent();
      if (step.afterReady) {
        await agent.ready;
        readyKills += 1;
        pending.push(carryOut(step.op));
        await sleep(step.killAfterMs);
      } else {
        pending.push(carryOut(step.op));
        // From the spawn: often before the node is ready, while tasks are being re-attached.
        await sleep(step.killAfterMs * 2);
      }
      agent.child.kill('SIGKILL');
      const exit = await agent.exited;
      // Killed, not exited on its own (a refused start would exit with 1).
      expect(exit, agent.output()).toEqual({ code: null, signal: 'SIGKILL' });
    }
    await Promise.all(pending);
    expect(readyKills).toBeGreaterThan(0);
    expect(readyKills).toBeLessThan(KILLS);

    // Once more, to the end: the state settles and agrees with the processes.
    const last = spawnAgent();
    await last.ready;
    await waitFor(
      async () => {
        const allocs = await c.allocsOf(JOB);
        const running = allocs.filter((a) => wantsRun(a) && a.ClientStatus === 'running');
        // The processes of the running allocations, and those really alive.
        const expected = running
          .map((a) => Number(startsOf(dataDir, a.ID).at(-1)))
          .sort((a, b) => a - b);
        const live = liveRecorders(c.root);
        return {
          unsettled: allocs
            .filter((a) =>
              wantsRun(a)
                ? a.ClientStatus !== 'running' && !clientTerminal(a)
                : !clientTerminal(a) && a.ClientStatus !== 'pending',
            )
            .map((a) => `${a.ID} ${a.DesiredStatus}/${a.ClientStatus}`),
          notRunningTasks: running
            .filter((a) => a.TaskStates?.['recorder']?.State !== 'running')
            .map((a) => a.ID),
          expected,
          live,
          // The last agent has a runner for each (re-attached): it carries out a signal. Until
          // its first sync, the servers still show what the agent before it reported.
          unsignalled: await unsignalled(running),
          // For a failure's message: the allocations of processes none running accounts for.
          strays: live
            .filter((pid) => !expected.includes(pid))
            .map((pid) => {
              const alloc = allocs.find((a) => startsOf(dataDir, a.ID).includes(String(pid)));
              const events = alloc?.TaskStates?.['recorder']?.Events?.map((e) => e.Type) ?? [];
              const status = `${alloc?.DesiredStatus}/${alloc?.ClientStatus}`;
              const starts = alloc ? startsOf(dataDir, alloc.ID).join('+') : '';
              const state = alloc?.TaskStates?.['recorder']?.State;
              return `${pid} ${alloc?.ID} ${status} ${state} pids ${starts} ${events.join(',')}`;
            }),
        };
      },
      (s) =>
        s.unsettled.length === 0 &&
        s.notRunningTasks.length === 0 &&
        s.unsignalled.length === 0 &&
        JSON.stringify(s.expected) === JSON.stringify(s.live),
      60_000,
    ).catch((error: unknown) => {
      const logged = lives.flatMap((l, i) =>
        l
          .output()
          .split('\n')
          .filter((line) => /error|fail/i.test(line))
          .map((line) => `life ${i}: ${line}`),
      );
      throw new Error(`the state did not settle: ${String(error)}\n${logged.join('\n')}`);
    });
    const allocs = await c.allocsOf(JOB);
    const settled = {
      allocs,
      running: allocs.filter((a) => wantsRun(a) && a.ClientStatus === 'running'),
    };

    // No task was started twice: one pid per allocation, plus one per restart asked for.
    const startedTwice = settled.allocs
      .map((a) => ({
        id: a.ID,
        starts: startsOf(dataDir, a.ID).length,
        allowed: 1 + (restarts.get(a.ID) ?? 0),
      }))
      .filter((a) => a.starts > a.allowed);
    expect(startedTwice).toEqual([]);
    // A kill or restart the agent was killed in the middle of is carried on, not taken for a
    // failure of the task (the test task never fails on its own).
    expect(settled.allocs.filter((a) => a.ClientStatus === 'failed').map((a) => a.ID)).toEqual([]);
    expect(settled.allocs.length).toBeGreaterThan(2);

    // Every running allocation is re-attached: the signal reached the process the agent found.
    for (const alloc of settled.running) {
      const pid = startsOf(dataDir, alloc.ID).at(-1)!;
      await waitFor(
        () => lines(join(dataDir, 'alloc', alloc.ID, 'recorder', 'signals')),
        (l) => l.includes(`${pid} SIGUSR1`),
      );
    }
  }, 300_000);
});
