// The runners over real processes: a node script that records its pid and every signal it gets.
import type { Allocation, Task, TaskState } from '@berth/contract';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Driver, ExitResult } from '../drivers/driver.js';
import { RawExecDriver } from '../drivers/raw-exec/raw-exec-driver.js';
import { createAllocRunner, taskPaths } from './alloc-runner.js';
import { FileHandleStore } from './handle-store.js';
import {
  MS,
  SECOND,
  SIGNAL_RECORDER,
  testAlloc,
  testNode,
  waitFor,
} from './test-support/fixtures.js';
import type { AllocRunner } from './types.js';

let dataDir: string;
const runners: AllocRunner[] = [];
const started: number[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'berth-raw-exec-alloc-'));
});

afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.destroy()));
  // Whatever a failed test left behind.
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

function recorderTask(
  env: Record<string, string> = {},
  overrides: Partial<Task> = {},
): Partial<Task> {
  return {
    Name: 'web',
    Driver: 'raw_exec',
    Config: { command: process.execPath, args: [SIGNAL_RECORDER, '${NOMAD_TASK_DIR}'] },
    Env: env,
    KillTimeout: 2 * SECOND,
    ...overrides,
  };
}

/**
 * A raw_exec driver for a runner that will be abandoned as a dying agent: it never reports an
 * exit, so the abandoned runner (still in this process) cannot react to what happens next.
 */
function agentThatWillDie(): Driver {
  const driver = new RawExecDriver();
  return {
    name: driver.name,
    fingerprint: () => driver.fingerprint(),
    startTask: (config) => driver.startTask(config),
    waitTask: () => new Promise<ExitResult>(() => undefined),
    signalTask: (handle, signal) => driver.signalTask(handle, signal),
    stopTask: (handle, timeoutMs, signal) => driver.stopTask(handle, timeoutMs, signal),
    recoverTask: (handle) => driver.recoverTask(handle),
  };
}

function start(
  alloc: Allocation,
  driver: Driver = new RawExecDriver({ pollIntervalMs: 20 }),
): AllocRunner {
  const runner = createAllocRunner(alloc, {
    dataDir,
    node: testNode,
    drivers: new Map([['raw_exec', driver]]),
    handleStore: new FileHandleStore(join(dataDir, 'handles')),
  });
  runners.push(runner);
  runner.run();
  return runner;
}

/** Forgets a runner without stopping its tasks, as an agent that dies. */
function abandon(runner: AllocRunner): void {
  runners.splice(runners.indexOf(runner), 1);
}

const localDir = (alloc: Allocation, task = 'web') => taskPaths(dataDir, alloc.ID, task).localDir;
const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
const lines = (file: string) => read(file).split('\n').filter(Boolean);
const task = (runner: AllocRunner, name = 'web'): TaskState =>
  runner.clientState().TaskStates[name]!;
const types = (state: TaskState) => (state.Events ?? []).map((e) => e.Type);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function runningPid(runner: AllocRunner, alloc: Allocation, count = 1): Promise<number> {
  await waitFor(
    () => task(runner).State === 'running' && lines(join(localDir(alloc), 'pids')).length >= count,
    'the task to run',
  );
  const pid = Number(lines(join(localDir(alloc), 'pids'))[count - 1]);
  started.push(pid);
  return pid;
}

describe('alloc runner with raw_exec', () => {
  it('runs the task with the NOMAD_* environment, in its directory, logging to the alloc dir', async () => {
    const alloc = testAlloc([recorderTask({ WHO: '${node.unique.name}' })]);
    const runner = start(alloc);
    const pid = await runningPid(runner, alloc);
    const info = JSON.parse(read(join(localDir(alloc), 'info.json'))) as {
      cwd: string;
      env: Record<string, string>;
    };
    const paths = taskPaths(dataDir, alloc.ID, 'web');
    expect(info.cwd).toBe(paths.taskDir);
    expect(info.env).toMatchObject({
      NOMAD_ALLOC_ID: alloc.ID,
      NOMAD_TASK_NAME: 'web',
      NOMAD_ALLOC_DIR: paths.allocDir,
      WHO: 'node-1',
    });
    await waitFor(() => read(paths.stdoutPath).includes(`started ${pid}`), 'the log line');
    expect(runner.clientState().ClientStatus).toBe('running');
  });

  it('delivers a signal to the process', async () => {
    const alloc = testAlloc([recorderTask()]);
    const runner = start(alloc);
    await runningPid(runner, alloc);
    await runner.signal('web', 'SIGUSR1');
    await waitFor(
      () => lines(join(localDir(alloc), 'signals')).includes('SIGUSR1'),
      'SIGUSR1 to arrive',
    );
    expect(task(runner).Events!.at(-1)).toMatchObject({
      Type: 'Signaling',
      Details: { signal: 'SIGUSR1' },
    });
  });

  it('restarts the task: the old process exits, a new one runs, Restarts is 1', async () => {
    const alloc = testAlloc([recorderTask()]);
    const runner = start(alloc);
    const oldPid = await runningPid(runner, alloc);
    await runner.restart('web', false);
    // The call answers once the new process has been started.
    expect(alive(oldPid)).toBe(false);
    const newPid = await runningPid(runner, alloc, 2);
    expect(newPid).not.toBe(oldPid);
    expect(alive(newPid)).toBe(true);
    expect(lines(join(localDir(alloc), 'signals'))).toEqual(['SIGINT']);
    const state = task(runner);
    expect(state.Restarts).toBe(1);
    expect(types(state)).toEqual([
      'Received',
      'Task Setup',
      'Started',
      'Restart Signaled',
      'Terminated',
      'Restarting',
      'Started',
    ]);
  });

  it('stops with the KillSignal and kills the whole process group', async () => {
    const alloc = testAlloc([recorderTask({ SPAWN_CHILD: '1' }, { KillSignal: 'SIGTERM' })]);
    const runner = start(alloc);
    const pid = await runningPid(runner, alloc);
    const childPid = Number(
      await waitFor(() => read(join(localDir(alloc), 'child.pid')), 'the child'),
    );
    expect(alive(childPid)).toBe(true);
    runner.update({ ...alloc, DesiredStatus: 'stop' });
    await waitFor(() => runner.clientState().ClientStatus === 'complete', 'completion');
    expect(lines(join(localDir(alloc), 'signals'))).toEqual(['SIGTERM']);
    expect(alive(pid)).toBe(false);
    await waitFor(() => !alive(childPid), 'the child to die');
    expect(types(task(runner)).slice(-3)).toEqual(['Killing', 'Terminated', 'Killed']);
  });

  it('sends SIGKILL once the kill timeout passes', async () => {
    const alloc = testAlloc([recorderTask({ IGNORE_STOP: '1' }, { KillTimeout: 200 * MS })]);
    const runner = start(alloc);
    const pid = await runningPid(runner, alloc);
    runner.update({ ...alloc, DesiredStatus: 'stop' });
    await waitFor(() => runner.clientState().ClientStatus === 'complete', 'completion');
    expect(alive(pid)).toBe(false);
    expect(task(runner).Events!.find((e) => e.Type === 'Terminated')).toMatchObject({
      Signal: 9,
      ExitCode: 137,
    });
  });

  it('restarts an exited service task under its policy', async () => {
    const alloc = testAlloc([recorderTask({ EXIT_AFTER_MS: '50', EXIT_CODE: '2' })], {
      restartPolicy: { Attempts: 1, Interval: 60 * SECOND, Delay: 10 * MS, Mode: 'fail' },
    });
    const runner = start(alloc);
    await waitFor(() => runner.clientState().ClientStatus === 'failed', 'failure');
    expect(lines(join(localDir(alloc), 'pids'))).toHaveLength(2);
    expect(task(runner).Restarts).toBe(1);
    expect(
      task(runner)
        .Events!.filter((e) => e.Type === 'Terminated')
        .map((e) => e.ExitCode),
    ).toEqual([2, 2]);
  });

  it('re-attaches to the running process after the runner is recreated from the persisted handles', async () => {
    const alloc = testAlloc([recorderTask()]);
    const first = start(alloc, agentThatWillDie());
    const pid = await runningPid(first, alloc);
    abandon(first);

    const second = start(alloc);
    await waitFor(() => task(second).State === 'running', 'the re-attached task');
    await second.signal('web', 'SIGUSR2');
    await waitFor(
      () => lines(join(localDir(alloc), 'signals')).includes('SIGUSR2'),
      'SIGUSR2 to arrive',
    );
    expect(lines(join(localDir(alloc), 'pids'))).toEqual([String(pid)]);
    expect(types(task(second)).filter((t) => t === 'Started')).toHaveLength(1);

    // A restart of a re-attached process works too.
    await second.restart('web', false);
    const newPid = await runningPid(second, alloc, 2);
    expect(alive(pid)).toBe(false);
    expect(newPid).not.toBe(pid);
    expect(task(second).Restarts).toBe(1);
  });

  it('records a process gone while the agent was away as exited, and restarts it', async () => {
    const alloc = testAlloc([recorderTask()], {
      restartPolicy: { Attempts: 2, Interval: 60 * SECOND, Delay: 10 * MS, Mode: 'fail' },
    });
    const first = start(alloc, agentThatWillDie());
    const pid = await runningPid(first, alloc);
    abandon(first);
    process.kill(-pid, 'SIGKILL');
    await waitFor(() => !alive(pid), 'the process to die');

    const second = start(alloc);
    const newPid = await runningPid(second, alloc, 2);
    expect(newPid).not.toBe(pid);
    expect(task(second).Restarts).toBe(1);
    expect(task(second).Events!.find((e) => e.Type === 'Terminated')!.Message).toBe(
      'task process was gone when the agent restarted',
    );
  });

  it('finds the process of a start the agent did not live to record, instead of starting it twice', async () => {
    const alloc = testAlloc([recorderTask()]);
    // The agent dies after spawning the process and before its handle is returned (and saved).
    const raw = new RawExecDriver();
    const dying: Driver = {
      ...agentThatWillDie(),
      startTask: (config) => {
        void raw.startTask(config);
        return new Promise(() => undefined);
      },
    };
    const first = start(alloc, dying);
    await waitFor(() => lines(join(localDir(alloc), 'pids')).length === 1, 'the process to run');
    const pid = Number(lines(join(localDir(alloc), 'pids'))[0]);
    started.push(pid);
    abandon(first);

    const second = start(alloc);
    await waitFor(() => task(second).State === 'running', 'the re-attached task');
    expect(lines(join(localDir(alloc), 'pids'))).toEqual([String(pid)]);
    expect(types(task(second)).filter((t) => t === 'Started')).toHaveLength(1);
    await second.signal('web', 'SIGUSR1');
    await waitFor(
      () => lines(join(localDir(alloc), 'signals')).includes('SIGUSR1'),
      'SIGUSR1 to arrive',
    );
    // Stopped for good, it is gone.
    await second.destroy();
    expect(alive(pid)).toBe(false);
  });

  it('starts the task when the interrupted start never made a process', async () => {
    const alloc = testAlloc([recorderTask()]);
    const first = start(alloc, { ...agentThatWillDie(), startTask: () => new Promise(() => {}) });
    await waitFor(
      () =>
        (new FileHandleStore(join(dataDir, 'handles')).load(alloc.ID)['web']?.starting ?? '') !==
        '',
      'the start to be recorded',
    );
    abandon(first);
    const second = start(alloc);
    const pid = await runningPid(second, alloc);
    expect(lines(join(localDir(alloc), 'pids'))).toEqual([String(pid)]);
    expect(new FileHandleStore(join(dataDir, 'handles')).load(alloc.ID)['web']?.starting).toBe(
      undefined,
    );
  });

  it('carries on a stop the agent did not live to finish: the task is killed, not failed', async () => {
    const alloc = testAlloc([recorderTask()]);
    const first = start(alloc, agentThatWillDie());
    const pid = await runningPid(first, alloc);
    // The stop kills the process; the dying agent never hears of its exit.
    first.update({ ...alloc, DesiredStatus: 'stop' });
    await waitFor(() => !alive(pid), 'the process to die');
    abandon(first);

    const second = start(alloc);
    await waitFor(() => task(second).State === 'dead', 'the task to be dead');
    expect(task(second).Failed).toBe(false);
    expect(types(task(second)).slice(-2)).toEqual(['Terminated', 'Killed']);
    expect(second.clientState().ClientStatus).toBe('complete');
    expect(lines(join(localDir(alloc), 'pids'))).toEqual([String(pid)]);
  });

  it('carries on a restart the agent did not live to finish: the task starts again', async () => {
    const alloc = testAlloc([recorderTask()]);
    const first = start(alloc, agentThatWillDie());
    const pid = await runningPid(first, alloc);
    void first.restart('web', false).catch(() => undefined);
    await waitFor(() => !alive(pid), 'the process to die');
    abandon(first);

    const second = start(alloc);
    const newPid = await runningPid(second, alloc, 2);
    expect(newPid).not.toBe(pid);
    expect(types(task(second))).not.toContain('Not Restarting');
    expect(second.clientState().ClientStatus).toBe('running');
  });

  it('keeps a restored handle through events recorded before the re-attach, for the next agent', async () => {
    const alloc = testAlloc([recorderTask()]);
    const first = start(alloc, agentThatWillDie());
    const pid = await runningPid(first, alloc);
    abandon(first);

    // The next agent is told to stop the allocation and dies while re-attaching: its `Killing`
    // is recorded before the re-attach is decided.
    const stopped = { ...alloc, DesiredStatus: 'stop' as const };
    const second = start(stopped, {
      ...agentThatWillDie(),
      recoverTask: () => new Promise(() => undefined),
    });
    await waitFor(() => types(task(second)).includes('Killing'), 'the kill to be recorded');
    abandon(second);
    expect(alive(pid)).toBe(true);

    const third = start(stopped);
    await waitFor(() => task(third).State === 'dead', 'the task to be dead');
    await waitFor(() => !alive(pid), 'the process to be stopped');
    expect(task(third).Failed).toBe(false);
    expect(third.clientState().ClientStatus).toBe('complete');
  });
});
