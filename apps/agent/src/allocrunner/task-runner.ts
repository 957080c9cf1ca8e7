// Nomad's TaskRunner (client/allocrunner/taskrunner): runs one task of an allocation through its
// driver, restarts it under the restart policy, and records what happens as task events.
//
//            ┌──────────── Restarting (policy delay, or 0 for a user restart) ───────────┐
//            ▼                                                                            │
//  pending ──Task Setup──► start ──Started──► running ──exit──► Terminated ──► decide ────┤
//    │ Received             │ Driver Failure                     (Killing…)             │
//    │                      └─────────────────────────────────────────────────► decide ───┤
//    │                                                                                    ▼
//    └───── killed before start ─────────────────────────────► dead ◄── Not Restarting / Killed /
//                                                                       terminated (batch exit 0)
import {
  ErrorText,
  type Allocation,
  type Task,
  type TaskEvent,
  type TaskState,
} from '@berth/contract';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Driver, ExitResult, TaskHandle } from '../drivers/driver.js';
import type { TaskEnv } from '../taskenv/task-env.js';
import type { PersistedTask } from './handle-store.js';
import { logRotationOf, type Logger } from './logger.js';
import { startLogmon } from './logmon.js';
import { RestartTracker, type RestartTrackerOptions } from './restart-tracker.js';
import { appendTaskEvent, newTaskEvent, newTaskState, transitionTaskState } from './task-events.js';
import { LifecycleError } from './types.js';
import { setLongTimeout, type LongTimeout } from '../timers/long-timeout.js';

/** The host paths of one task. */
export interface TaskPaths {
  /** `<alloc>/alloc` (NOMAD_ALLOC_DIR). */
  allocDir: string;
  /** `<alloc>/<task>`: the task's working directory. */
  taskDir: string;
  /** `<alloc>/<task>/local` (NOMAD_TASK_DIR). */
  localDir: string;
  /** `<alloc>/<task>/secrets` (NOMAD_SECRETS_DIR). */
  secretsDir: string;
  /** `<alloc>/alloc/logs/<task>.stdout.0`. */
  stdoutPath: string;
  /** `<alloc>/alloc/logs/<task>.stderr.0`. */
  stderrPath: string;
}

export interface TaskRunnerOptions {
  alloc: Allocation;
  task: Task;
  /** The task's driver; undefined when the node has none of that name (the task fails). */
  driver: Driver | undefined;
  paths: TaskPaths;
  restart: RestartTrackerOptions;
  /** Builds the task's environment (read at each start, so it follows the current allocation). */
  buildEnv(): TaskEnv;
  /** What was persisted before an agent restart, to re-attach instead of starting again. */
  restored?: PersistedTask;
  persist(task: PersistedTask): void;
  onStateChange(): void;
  logger: Logger;
}

const NS_PER_MS = 1e6;
const DEFAULT_KILL_TIMEOUT_MS = 5_000;
/** Nomad's client `max_kill_timeout`. */
const MAX_KILL_TIMEOUT_MS = 30_000;
/** Longest wait, after a process exits, for its log monitor to write what it read. */
const LOGS_FLUSH_MS = 5_000;

export class TaskRunner {
  readonly name: string;
  private state: TaskState;
  private handle: TaskHandle | null = null;
  private readonly tracker: RestartTracker;
  private started = false;
  private killRequested = false;
  private wakeKill!: () => void;
  private readonly killed = new Promise<void>((resolve) => (this.wakeKill = resolve));
  private resolveDone!: () => void;
  private readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));
  /** Settles once a re-attach after an agent restart has been tried (lifecycle calls wait). */
  private recovering: Promise<unknown> = Promise.resolve();
  /** Callers waiting for the next start attempt (a user restart answers after it). */
  private startWaiters: (() => void)[] = [];
  /** When the start under way began (persisted, so a restarted agent looks for its process). */
  private startingSince: string | undefined;
  /** Resolves once the log monitor of the current process has written all it read. */
  private logsWritten: Promise<void> | undefined;
  /** A kill is coming (the allocation is being stopped), though it may wait for the leader. */
  private killExpected = false;
  /**
   * The restored handle or start record not yet acted on. It stays in what is persisted until the
   * re-attach is decided: an event recorded meanwhile (a `Killing`) must not make an agent killed
   * before the re-attach forget the process.
   */
  private unresolved: Pick<PersistedTask, 'handle' | 'starting'> | undefined;

  constructor(private readonly options: TaskRunnerOptions) {
    this.name = options.task.Name;
    this.tracker = new RestartTracker(options.restart);
    this.state = options.restored?.state ?? newTaskState();
    if (options.restored?.handle || options.restored?.starting) {
      this.unresolved = { handle: options.restored.handle, starting: options.restored.starting };
    }
    if (!options.restored) this.emit(newTaskEvent('Received'));
  }

  get isLeader(): boolean {
    return this.options.task.Leader;
  }

  get killTimeoutNs(): number {
    return this.killTimeoutMs * NS_PER_MS;
  }

  /** A copy of the task's state. */
  taskState(): TaskState {
    return { ...this.state, Events: [...(this.state.Events ?? [])] };
  }

  /**
   * True when persisted state says a process was running (or being started) before the agent
   * restarted.
   */
  isRestoredRunning(): boolean {
    const restored = this.options.restored;
    return !!(restored?.handle || restored?.starting) && restored.state.State !== 'dead';
  }

  /** The driver handle of the live process, if any (for resource statistics). */
  liveHandle(): TaskHandle | null {
    return this.handle;
  }

  /** True while a process (or mock task) of this task is alive. */
  isRunning(): boolean {
    return this.handle !== null;
  }

  /** Starts the run loop (once). */
  run(): void {
    if (this.started) return;
    this.started = true;
    this.loop()
      .catch((error: unknown) => {
        this.options.logger.error('task runner failed', { task: this.name, error: String(error) });
        this.finish();
      })
      .finally(() => this.resolveDone());
  }

  /** Resolves once the task is dead and its loop has ended. */
  wait(): Promise<void> {
    return this.done;
  }

  /** Records `event` (e.g. `Killing`) and adds it to the task's history. */
  emit(event: TaskEvent): void {
    this.state = appendTaskEvent(this.state, event);
    this.changed();
  }

  /**
   * Tells the runner a kill is coming (its allocation stops; the leader is killed first), so a
   * process found gone after an agent restart counts as killed, not failed.
   */
  expectKill(): void {
    this.killExpected = true;
  }

  /** Kills the task for good (no restart) and waits until it is dead. */
  async kill(event?: TaskEvent): Promise<void> {
    if (event && this.state.State !== 'dead') this.emit(event);
    this.killRequested = true;
    this.wakeKill();
    if (!this.started) {
      this.started = true;
      this.finish();
      this.resolveDone();
    }
    await this.done;
  }

  /** Sends `signal` to the running task (Nomad's TaskRunner.Signal). */
  async signal(signal: string): Promise<void> {
    await this.recovering;
    const handle = this.handle;
    const driver = this.options.driver;
    if (!handle || !driver) throw new LifecycleError(409, ErrorText.TaskNotRunning);
    this.emit(newTaskEvent('Signaling', { Details: { signal } }));
    await driver.signalTask(handle, signal);
  }

  /**
   * Kills the running task and starts it again at once, outside the restart policy (Nomad's
   * TaskRunner.Restart). Resolves once the new process has started (or failed to).
   */
  async restart(reason: string): Promise<void> {
    await this.recovering;
    const handle = this.handle;
    const driver = this.options.driver;
    if (!handle || !driver || this.state.State !== 'running') {
      throw new LifecycleError(409, ErrorText.TaskNotRunning);
    }
    this.emit(
      newTaskEvent('Restart Signaled', {
        RestartReason: reason,
        Details: { restart_reason: reason },
      }),
    );
    this.tracker.setRestartTriggered();
    const next = this.nextStart();
    await driver.stopTask(handle, this.killTimeoutMs, this.killSignal);
    await next;
  }

  private get killTimeoutMs(): number {
    const ms = this.options.task.KillTimeout / NS_PER_MS;
    return Math.min(ms > 0 ? ms : DEFAULT_KILL_TIMEOUT_MS, MAX_KILL_TIMEOUT_MS);
  }

  private get killSignal(): string {
    return this.options.task.KillSignal || 'SIGINT';
  }

  private nextStart(): Promise<void> {
    return new Promise((resolve) => this.startWaiters.push(resolve));
  }

  private wakeStartWaiters(): void {
    const waiters = this.startWaiters;
    this.startWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async loop(): Promise<void> {
    const restored = this.options.restored;
    if (restored?.state.State === 'dead') return this.finish();
    let reattach = restored?.handle ?? null;
    let firstStart = !restored;
    let foundStarted = false;
    if (!reattach && restored?.starting) {
      // The agent stopped while starting the task: its process may run without a handle.
      const finding = this.findStarted();
      this.recovering = finding;
      reattach = await finding;
      foundStarted = reattach !== null;
      this.unresolved = reattach ? { handle: reattach } : undefined;
    }

    // A process found from before is stopped even when the kill came first: it must not outlive it.
    while (!this.killRequested || reattach) {
      let exit: ExitResult | undefined;
      if (reattach) {
        const handle = reattach;
        reattach = null;
        const recovery = this.recover(handle);
        this.recovering = recovery;
        const recovered = await recovery;
        this.unresolved = undefined;
        if (recovered) {
          this.handle = handle;
          if (this.state.State !== 'running')
            this.state = transitionTaskState(this.state, 'running');
          if (foundStarted) this.emit(newTaskEvent('Started'));
          else this.changed();
          exit = await this.waitForExit(handle);
        } else {
          // Gone while the agent was away: an exit whose code nobody saw.
          exit = { exitCode: 0, signal: 0, err: 'task process was gone when the agent restarted' };
        }
        // What the agent was doing when it stopped goes on: a kill, or a user's restart (the
        // process may have been on its way out when it was found).
        const interrupted = restored?.state.Events?.at(-1)?.Type;
        if (this.killRequested || this.killExpected || interrupted === 'Killing') {
          this.tracker.setKilled();
        } else if (interrupted === 'Restart Signaled') {
          this.tracker.setRestartTriggered();
        }
      } else {
        const handle = await this.start(firstStart);
        firstStart = false;
        if (handle) exit = await this.waitForExit(handle);
      }

      if (exit) {
        this.handle = null;
        this.emit(terminatedEvent(exit));
        this.tracker.setExitResult(exit);
      }

      const decision = this.tracker.decide();
      if (decision.state === 'Killed') {
        this.emit(newTaskEvent('Killed'));
        break;
      }
      if (decision.state === 'Terminated') break;
      if (decision.state === 'Not Restarting') {
        this.emit(
          newTaskEvent('Not Restarting', {
            RestartReason: decision.reason,
            FailsTask: true,
            Details: { restart_reason: decision.reason, fails_task: 'true' },
          }),
        );
        break;
      }
      const delayNs = Math.round(decision.delayMs * NS_PER_MS);
      this.state = transitionTaskState(this.state, 'pending');
      this.emit(
        newTaskEvent('Restarting', {
          StartDelay: delayNs,
          RestartReason: decision.reason,
          Details: { start_delay: String(delayNs), restart_reason: decision.reason },
        }),
      );
      if (decision.delayMs > 0) await this.sleepUnlessKilled(decision.delayMs);
      if (this.killRequested) {
        this.emit(newTaskEvent('Killed'));
        break;
      }
    }
    this.finish();
  }

  private finish(): void {
    this.handle = null;
    this.state = transitionTaskState(this.state, 'dead');
    this.changed();
    this.wakeStartWaiters();
  }

  private async findStarted(): Promise<TaskHandle | null> {
    const { driver, alloc, task } = this.options;
    try {
      return (await driver?.findStartedTask?.({ allocID: alloc.ID, taskName: task.Name })) ?? null;
    } catch (error) {
      this.options.logger.warn('finding the process of an interrupted start failed', {
        task: this.name,
        error: String(error),
      });
      return null;
    }
  }

  private async recover(handle: TaskHandle): Promise<boolean> {
    try {
      return (await this.options.driver?.recoverTask(handle)) ?? false;
    } catch (error) {
      this.options.logger.warn('re-attach failed', { task: this.name, error: String(error) });
      return false;
    }
  }

  /** One start attempt; undefined when the driver failed (recorded for the restart decision). */
  private async start(firstStart: boolean): Promise<TaskHandle | undefined> {
    const { driver, paths, task } = this.options;
    try {
      if (firstStart) {
        this.emit(newTaskEvent('Task Setup', { Message: 'Building Task Directory' }));
      }
      // Also after an agent restart that interrupted the first start.
      for (const dir of [paths.allocDir, paths.taskDir, paths.localDir, paths.secretsDir]) {
        mkdirSync(dir, { recursive: true });
      }
      if (!driver) throw new Error(`driver "${task.Driver}" is not available on this node`);
      const env = this.options.buildEnv();
      // Persisted before the process exists: an agent killed before the handle is saved then
      // looks for the process instead of starting a second one.
      this.startingSince = new Date().toISOString();
      this.save();
      const handle = await driver.startTask({
        allocID: this.options.alloc.ID,
        taskName: task.Name,
        config: env.interpolateConfig(task.Config ?? {}),
        env: env.env,
        taskDir: paths.taskDir,
        stdoutPath: paths.stdoutPath,
        stderrPath: paths.stderrPath,
        // Rotated by the task's LogConfig, by a monitor process that outlives the agent.
        ...(task.LogConfig?.Disabled !== true && {
          output: () => {
            const logmon = startLogmon({
              dir: dirname(paths.stdoutPath),
              task: task.Name,
              rotation: logRotationOf(task.LogConfig),
            });
            this.logsWritten = logmon.written;
            return logmon;
          },
        }),
      });
      this.handle = handle;
      this.startingSince = undefined;
      this.state = transitionTaskState(this.state, 'running');
      this.emit(newTaskEvent('Started'));
      return handle;
    } catch (error) {
      this.startingSince = undefined;
      const message = error instanceof Error ? error.message : String(error);
      this.options.logger.warn('task failed to start', { task: task.Name, error: message });
      this.emit(
        newTaskEvent('Driver Failure', {
          DriverError: message,
          Details: { driver_error: message },
        }),
      );
      this.tracker.setStartError(error);
      return undefined;
    } finally {
      this.wakeStartWaiters();
    }
  }

  /** Waits for the task to exit; a kill meanwhile stops it (KillSignal, KillTimeout, SIGKILL). */
  private async waitForExit(handle: TaskHandle): Promise<ExitResult> {
    const driver = this.options.driver!;
    const exited = driver
      .waitTask(handle)
      .catch((error: unknown): ExitResult => ({ exitCode: 0, signal: 0, err: String(error) }));
    const first = await Promise.race([exited, this.killed.then(() => undefined)]);
    if (first) {
      await this.logsFlushed();
      return first;
    }
    this.tracker.setKilled();
    try {
      await driver.stopTask(handle, this.killTimeoutMs, this.killSignal);
    } catch (error) {
      this.options.logger.error('failed to kill task', { task: this.name, error: String(error) });
    }
    const result = await exited;
    await this.logsFlushed();
    return result;
  }

  /**
   * Waits (at most LOGS_FLUSH_MS) for the log monitor of the process that exited to write what it
   * read, so its last lines can be read once the task is dead. A process the task left holding
   * its output keeps the monitor running; that is not waited for longer.
   */
  private async logsFlushed(): Promise<void> {
    const written = this.logsWritten;
    this.logsWritten = undefined;
    if (written === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      written,
      new Promise((resolve) => {
        timer = setTimeout(resolve, LOGS_FLUSH_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  private async sleepUnlessKilled(ms: number): Promise<void> {
    let timer: LongTimeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => (timer = setLongTimeout(resolve, ms))),
      this.killed,
    ]);
    timer?.clear();
  }

  private changed(): void {
    this.save();
    this.options.onStateChange();
  }

  private save(): void {
    try {
      const starting = this.startingSince ?? this.unresolved?.starting;
      this.options.persist({
        handle: this.handle ?? this.unresolved?.handle ?? null,
        state: this.state,
        ...(starting !== undefined && { starting }),
      });
    } catch (error) {
      this.options.logger.error('could not persist task state', {
        task: this.name,
        error: String(error),
      });
    }
  }
}

function terminatedEvent(exit: ExitResult): TaskEvent {
  const details: Record<string, string> = {
    exit_code: String(exit.exitCode),
    signal: String(exit.signal),
  };
  if (exit.err) details['exit_message'] = exit.err;
  return newTaskEvent('Terminated', {
    ExitCode: exit.exitCode,
    Signal: exit.signal,
    Message: exit.err ?? '',
    Details: details,
  });
}
