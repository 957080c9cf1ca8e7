// Nomad's raw_exec driver (drivers/rawexec): runs the task's `command` with `args` as a plain
// process of the agent's user, leader of its own process group, output appended to the task's log
// files. The process outlives the agent; a restarted agent re-attaches by pid and start time.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname } from 'node:path';
import type { Stream } from 'node:stream';
import type {
  Driver,
  ExitResult,
  Fingerprint,
  StartedTaskQuery,
  TaskConfig,
  TaskHandle,
} from '../driver.js';
import { signalNumber } from '../signals.js';
import { findTaskProcess } from './find-task-process.js';
import { signalGroup, signalProcess, waitGroupGone } from './process-group.js';
import { pidStatus, processStartTime } from './proc-stat.js';

/** The task's stdout and stderr: the log monitor's inputs when given, else the two files. */
function openOutput(config: TaskConfig): {
  out: number | Stream;
  err: number | Stream;
  release: () => void;
} {
  if (config.output) {
    const output = config.output();
    return { out: output.stdout, err: output.stderr, release: () => output.release() };
  }
  mkdirSync(dirname(config.stdoutPath), { recursive: true });
  mkdirSync(dirname(config.stderrPath), { recursive: true });
  const out = openSync(config.stdoutPath, 'a');
  const err = openSync(config.stderrPath, 'a');
  return {
    out,
    err,
    release: () => {
      closeSync(out);
      closeSync(err);
    },
  };
}

/** What a raw_exec handle persists to find its process again. */
interface RawExecState {
  pid: number;
  /** From /proc/<pid>/stat ('' where unavailable). */
  startTime: string;
}

/** How long an exited process stays known (a late stop or wait still finds its result). */
const FORGET_AFTER_MS = 60_000;

/** One process being watched, by its 'exit' event (our child) or by polling (re-attached). */
interface Watch {
  pid: number;
  exited: Promise<ExitResult>;
  done: boolean;
  /**
   * Set when the pid now belongs to another process: neither it nor its group may be signalled
   * (what the task left behind in its group is gone too, or the pid could not have been reused).
   */
  reused: boolean;
  /** Set for a re-attached process: re-checked before each signal, as its pid may be reused. */
  startTime?: string;
}

export interface RawExecDriverOptions {
  /** How often a re-attached process is checked for liveness. */
  pollIntervalMs?: number;
}

const DRIVER = 'raw_exec';

export class RawExecDriver implements Driver {
  readonly name = DRIVER;
  private readonly watches = new Map<number, Watch>();
  private readonly pollIntervalMs: number;

  constructor(options: RawExecDriverOptions = {}) {
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
  }

  fingerprint(): Fingerprint {
    return {
      detected: true,
      healthy: true,
      healthDescription: 'Healthy',
      attributes: { [`driver.${DRIVER}`]: '1' },
    };
  }

  async startTask(config: TaskConfig): Promise<TaskHandle> {
    const { command, args } = parseConfig(config.config);
    // The process writes to the files (or the log monitor) itself, so its output is kept while
    // the agent is away.
    const { out, err, release } = openOutput(config);
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        cwd: config.taskDir,
        env: config.env,
        detached: true,
        stdio: ['ignore', out, err],
      });
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
    } finally {
      release();
    }
    const pid = child.pid!;
    // The agent may exit while the task runs on.
    child.unref();
    this.track(this.watchChild(child, pid));
    const state: RawExecState = { pid, startTime: processStartTime(pid) };
    return {
      driver: DRIVER,
      taskName: config.taskName,
      startedAt: new Date().toISOString(),
      state: { ...state },
    };
  }

  async waitTask(handle: TaskHandle): Promise<ExitResult> {
    return this.watchOf(handle).exited;
  }

  signalTask(handle: TaskHandle, signal: string): Promise<void> {
    try {
      // Nomad's executor signals the task's own process, not its group.
      const num = signalNumber(signal);
      const watch = this.watchOf(handle);
      const sent = this.isGone(watch) ? 'gone' : signalProcess(watch.pid, num);
      if (sent === 'gone') throw new Error('task is not running');
      if (sent === 'refused') throw notPermitted(handle, watch.pid);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  async stopTask(handle: TaskHandle, timeoutMs: number, signal = 'SIGINT'): Promise<void> {
    const num = signalNumber(signal || 'SIGINT');
    const watch = this.watchOf(handle);
    if (!this.isGone(watch)) {
      // A process this agent may not signal would never stop: say so rather than wait.
      if (signalGroup(watch.pid, num) === 'refused') throw notPermitted(handle, watch.pid);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        watch.exited.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), Math.max(0, timeoutMs));
        }),
      ]);
      clearTimeout(timer);
      if (timedOut && signalGroup(watch.pid, 'SIGKILL') === 'refused') {
        throw notPermitted(handle, watch.pid);
      }
    }
    // A re-attached process found gone is settled by the next poll (which tells a reused pid).
    await watch.exited;
    if (watch.reused) return;
    // Whatever the task started and left behind goes too.
    signalGroup(watch.pid, 'SIGKILL');
    await waitGroupGone(watch.pid);
  }

  recoverTask(handle: TaskHandle): Promise<boolean> {
    const state = readState(handle);
    if (!state) return Promise.resolve(false);
    const known = this.watches.get(state.pid);
    if (known && !known.done) return Promise.resolve(true);
    // Gone, or its pid taken by another process (ours or another user's): not the task.
    if (pidStatus(state.pid, state.startTime) !== 'running') return Promise.resolve(false);
    this.track(this.pollProcess(state));
    return Promise.resolve(true);
  }

  /** True once the process has exited, or (re-attached) when its pid is no longer the task's. */
  private isGone(watch: Watch): boolean {
    if (watch.done) return true;
    return watch.startTime !== undefined && pidStatus(watch.pid, watch.startTime) !== 'running';
  }

  /** A task spawned just before the agent stopped, found by its environment (see find-task-process). */
  async findStartedTask(query: StartedTaskQuery): Promise<TaskHandle | undefined> {
    const found = findTaskProcess(query.allocID, query.taskName);
    if (!found) return undefined;
    const handle: TaskHandle = {
      driver: DRIVER,
      taskName: query.taskName,
      startedAt: new Date().toISOString(),
      state: { ...found },
    };
    return (await this.recoverTask(handle)) ? handle : undefined;
  }

  private track(watch: Watch): void {
    this.watches.set(watch.pid, watch);
    void watch.exited.then(() => {
      setTimeout(() => {
        if (this.watches.get(watch.pid) === watch) this.watches.delete(watch.pid);
      }, FORGET_AFTER_MS).unref();
    });
  }

  private watchOf(handle: TaskHandle): Watch {
    const state = readState(handle);
    const watch = state && this.watches.get(state.pid);
    if (!watch) throw new Error(`raw_exec: no process known for task ${handle.taskName}`);
    return watch;
  }

  private watchChild(child: ChildProcess, pid: number): Watch {
    const watch: Watch = {
      pid,
      done: false,
      reused: false,
      exited: new Promise<ExitResult>((resolve) => {
        child.once('exit', (code, sig) => {
          watch.done = true;
          const signal = sig ? constants.signals[sig] : 0;
          // As Nomad's executor: a process killed by a signal exits with 128 + signal.
          const result = { exitCode: sig ? 128 + signal : (code ?? 0), signal };
          // What the task left behind in its group goes with it.
          signalGroup(pid, 'SIGKILL');
          void waitGroupGone(pid).then(() => resolve(result));
        });
      }),
    };
    return watch;
  }

  private pollProcess(state: RawExecState): Watch {
    const watch: Watch = {
      pid: state.pid,
      done: false,
      reused: false,
      startTime: state.startTime,
      exited: new Promise<ExitResult>((resolve) => {
        const timer = setInterval(() => {
          let status: ReturnType<typeof pidStatus>;
          try {
            status = pidStatus(state.pid, state.startTime);
          } catch (error) {
            // The process can no longer be watched: report it as ended, with why.
            clearInterval(timer);
            watch.done = true;
            const err = `cannot watch the task process ${state.pid}: ${String(error)}`;
            resolve({ exitCode: 0, signal: 0, err });
            return;
          }
          if (status === 'running') return;
          clearInterval(timer);
          watch.done = true;
          // Not our child: how it ended cannot be known.
          const err = 'task process exited while detached from the agent';
          if (status === 'reused') {
            watch.reused = true;
            resolve({ exitCode: 0, signal: 0, err });
            return;
          }
          signalGroup(state.pid, 'SIGKILL');
          void waitGroupGone(state.pid).then(() => resolve({ exitCode: 0, signal: 0, err }));
        }, this.pollIntervalMs);
        timer.unref();
      }),
    };
    return watch;
  }
}

function parseConfig(config: Record<string, unknown>): { command: string; args: string[] } {
  const command = config['command'];
  if (typeof command !== 'string' || command === '') {
    throw new Error('raw_exec: missing required "command" in task config');
  }
  const rawArgs = config['args'] ?? [];
  if (
    !Array.isArray(rawArgs) ||
    rawArgs.some((a) => typeof a !== 'string' && typeof a !== 'number')
  ) {
    throw new Error('raw_exec: "args" must be a list of strings');
  }
  return { command, args: rawArgs.map(String) };
}

function notPermitted(handle: TaskHandle, pid: number): Error {
  return new Error(
    `raw_exec: not permitted to signal the process ${pid} of task ${handle.taskName} ` +
      '(EPERM: it runs as another user)',
  );
}

function readState(handle: TaskHandle): RawExecState | undefined {
  const { pid, startTime } = handle.state;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
  return { pid, startTime: typeof startTime === 'string' ? startTime : '' };
}
