// One interface for every task driver, after Nomad's drivers.DriverPlugin: start a task, wait for
// it, signal it, stop it, and find it again after the agent restarts.
import type { Stream } from 'node:stream';

/** Everything a driver needs to start one task. */
export interface TaskConfig {
  allocID: string;
  taskName: string;
  /** The task's `Config` block, already interpolated. */
  config: Record<string, unknown>;
  /** The environment: the task's `Env` plus the NOMAD_* variables, already interpolated. */
  env: Record<string, string>;
  /** The task's working directory (created by the task runner). */
  taskDir: string;
  stdoutPath: string;
  stderrPath: string;
  /**
   * Where the task's output goes instead of the two paths, when given (the rotating log monitor);
   * a driver that runs a process calls it once and releases the streams after the spawn.
   */
  output?: () => TaskOutput;
}

/** The task's stdout and stderr as streams to hand to its process; `release` drops ours. */
export interface TaskOutput {
  stdout: Stream;
  stderr: Stream;
  release(): void;
}

/**
 * A started task. `state` is what the driver needs to find the task again after an agent restart
 * (e.g. the pid and its start time); the task runner persists the whole handle.
 */
export interface TaskHandle {
  driver: string;
  taskName: string;
  startedAt: string;
  state: Record<string, unknown>;
}

/** How a task ended. */
export interface ExitResult {
  exitCode: number;
  /** The signal that killed it (0 if none). */
  signal: number;
  /** Set when the driver could not tell (e.g. a re-attached process that went away). */
  err?: string;
}

/** What a driver reports about itself, for the node's Drivers and `driver.<name>` attributes. */
export interface Fingerprint {
  detected: boolean;
  healthy: boolean;
  healthDescription: string;
  attributes: Record<string, string>;
}

export interface Driver {
  readonly name: string;
  fingerprint(): Fingerprint;
  /** Starts the task; rejects (a driver failure) when it cannot. */
  startTask(config: TaskConfig): Promise<TaskHandle>;
  /** Resolves when the task has exited. */
  waitTask(handle: TaskHandle): Promise<ExitResult>;
  /** Delivers a signal by name (`SIGUSR1`); rejects for a name the driver does not know. */
  signalTask(handle: TaskHandle, signal: string): Promise<void>;
  /**
   * Stops the task: `signal` (default SIGINT) to its whole process group, then SIGKILL after
   * `timeoutMs`. Resolves once it has exited.
   */
  stopTask(handle: TaskHandle, timeoutMs: number, signal?: string): Promise<void>;
  /** Finds a task again after an agent restart; false when it is gone. */
  recoverTask(handle: TaskHandle): Promise<boolean>;
  /**
   * Finds a task whose start was under way when the agent stopped, before its handle could be
   * persisted; undefined when it never started (or is gone). Without it, such a task is started
   * again.
   */
  findStartedTask?(task: StartedTaskQuery): Promise<TaskHandle | undefined>;
}

/** What identifies a task whose start was interrupted. */
export interface StartedTaskQuery {
  allocID: string;
  taskName: string;
}
