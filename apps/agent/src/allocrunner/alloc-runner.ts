// Nomad's allocRunner (client/allocrunner/alloc_runner.go): runs the tasks of one allocation, one
// task runner each; a dead leader or a failed task stops the others; the allocation's
// ClientStatus follows its tasks; stop, signal and restart act on the running tasks.
import {
  couldNotFindTaskRunner,
  ErrorText,
  failedToRestartTask,
  failedToSignalTask,
  formatGoDuration,
  multiError,
  type Allocation,
  type RestartPolicy,
  type Task,
  type TaskEvent,
  type TaskGroup,
  type TaskState,
} from '@berth/contract';
import { join } from 'node:path';
import type { Driver, TaskHandle } from '../drivers/driver.js';
import { UnknownSignalError, isKnownSignal } from '../drivers/signals.js';
import { buildTaskEnv, type TaskEnvNode } from '../taskenv/task-env.js';
import { clientStatusOf } from './client-status.js';
import type { HandleStore } from './handle-store.js';
import { silentLogger, type Logger } from './logger.js';
import { newTaskEvent } from './task-events.js';
import { TaskRunner, type TaskPaths } from './task-runner.js';
import { LifecycleError, type AllocClientState, type AllocRunner } from './types.js';

/** What an alloc runner needs from the agent. */
export interface AllocRunnerDeps {
  /** The agent's data directory; allocations live under `<dataDir>/alloc/<allocID>`. */
  dataDir: string;
  /** This node, for NOMAD_DC and `${attr.*}`, `${meta.*}`, `${node.*}` interpolation. */
  node: TaskEnvNode;
  /** The drivers by name (`raw_exec`, `mock_driver`...), matched against each task's `Driver`. */
  drivers: ReadonlyMap<string, Driver>;
  /** Where task handles and states are kept across agent restarts. */
  handleStore: HandleStore;
  logger?: Logger;
  /** The environment raw_exec tasks inherit (default: the agent's own). */
  hostEnv?: Record<string, string | undefined>;
}

const SECOND_NS = 1_000_000_000;
const MINUTE_NS = 60 * SECOND_NS;
const HOUR_NS = 60 * MINUTE_NS;

/** Nomad's default restart policies (structs.DefaultServiceJobRestartPolicy / Batch). */
function defaultRestartPolicy(jobType: string): RestartPolicy {
  return jobType === 'batch'
    ? {
        Attempts: 3,
        Interval: 24 * HOUR_NS,
        Delay: 15 * SECOND_NS,
        Mode: 'fail',
        RenderTemplates: false,
      }
    : {
        Attempts: 2,
        Interval: 30 * MINUTE_NS,
        Delay: 15 * SECOND_NS,
        Mode: 'fail',
        RenderTemplates: false,
      };
}

const TERMINAL_DESIRED = new Set(['stop', 'evict']);
const TERMINAL_CLIENT = new Set(['complete', 'failed', 'lost']);

/** Creates the runner of one allocation; call `run()` to start (or re-attach to) its tasks. */
export function createAllocRunner(alloc: Allocation, deps: AllocRunnerDeps): AllocRunner {
  return new TaskGroupRunner(alloc, deps);
}

class TaskGroupRunner implements AllocRunner {
  readonly allocID: string;
  private alloc: Allocation;
  private readonly runners = new Map<string, TaskRunner>();
  private readonly listeners = new Set<() => void>();
  private readonly logger: Logger;
  /** Tasks whose death has been acted on (leader / sibling kills happen once). */
  private readonly deaths = new Set<string>();
  private readonly groupError: string;
  private started = false;
  private stopping: Promise<void> | undefined;

  constructor(
    alloc: Allocation,
    private readonly deps: AllocRunnerDeps,
  ) {
    this.allocID = alloc.ID;
    this.alloc = alloc;
    this.logger = deps.logger ?? silentLogger;
    const group = alloc.Job?.TaskGroups?.find((g) => g.Name === alloc.TaskGroup);
    this.groupError = group ? '' : `task group "${alloc.TaskGroup}" not found in the job`;
    const restored = deps.handleStore.load(alloc.ID);
    for (const task of group?.Tasks ?? []) {
      this.runners.set(task.Name, this.newTaskRunner(group!, task, restored[task.Name]));
    }
  }

  run(): void {
    if (this.started) return;
    this.started = true;
    if (!this.shouldRun()) {
      // Nothing new starts; a process found from before the agent restart is stopped.
      for (const runner of this.runners.values()) runner.expectKill();
      for (const runner of this.runners.values()) {
        if (!runner.isRestoredRunning()) void runner.kill();
        else runner.run();
      }
      this.stopping = this.killTasks();
      return;
    }
    for (const runner of this.runners.values()) runner.run();
  }

  update(alloc: Allocation): void {
    this.alloc = alloc;
    if (TERMINAL_DESIRED.has(alloc.DesiredStatus) && this.started && !this.stopping) {
      this.stopping = this.killTasks();
    }
    this.notify();
  }

  async signal(task: string, signal: string): Promise<void> {
    // Nomad's raw_exec sends SIGINT when no signal is named.
    const name = signal === '' ? 'SIGINT' : signal;
    if (!isKnownSignal(name)) throw new LifecycleError(400, new UnknownSignalError(signal).message);
    if (task !== '') {
      const runner = this.runners.get(task);
      if (!runner) throw new LifecycleError(404, ErrorText.TaskNotFound);
      try {
        await runner.signal(name);
      } catch (error) {
        throw asLifecycleError(error);
      }
      return;
    }
    const failures: LifecycleError[] = [];
    for (const runner of this.runners.values()) {
      try {
        await runner.signal(name);
      } catch (error) {
        const cause = asLifecycleError(error);
        failures.push(
          new LifecycleError(cause.status, failedToSignalTask(runner.name, cause.message)),
        );
      }
    }
    if (failures.length > 0) throw combined(failures);
  }

  async restart(taskName: string, allTasks: boolean): Promise<void> {
    if (allTasks && taskName !== '') throw new LifecycleError(400, ErrorText.TaskNameWithAllTasks);
    if (taskName !== '') {
      const runner = this.runners.get(taskName);
      if (!runner) {
        throw new LifecycleError(404, couldNotFindTaskRunner(taskName));
      }
      try {
        await runner.restart('User requested task to restart');
      } catch (error) {
        throw asLifecycleError(error);
      }
      return;
    }
    if (!this.shouldRun()) throw new LifecycleError(409, ErrorText.RestartOfAllocThatShouldNotRun);
    const reason = allTasks
      ? 'User requested all tasks to restart'
      : 'User requested running tasks to restart';
    // Tasks not running (pending, or dead with their loop over) are skipped, as Nomad does.
    const targets = [...this.runners.values()].filter((r) => r.isRunning());
    const results = await Promise.allSettled(targets.map((r) => r.restart(reason)));
    const failures = results.flatMap((result, i) => {
      if (result.status === 'fulfilled') return [];
      const cause = asLifecycleError(result.reason);
      return [
        new LifecycleError(cause.status, failedToRestartTask(targets[i]!.name, cause.message)),
      ];
    });
    if (failures.length > 0) throw combined(failures);
  }

  async destroy(): Promise<void> {
    this.stopping ??= this.killTasks();
    await this.stopping;
    await Promise.all([...this.runners.values()].map((r) => r.wait()));
    this.deps.handleStore.remove(this.allocID);
  }

  clientState(): AllocClientState {
    const TaskStates: Record<string, TaskState> = {};
    for (const [name, runner] of this.runners) TaskStates[name] = runner.taskState();
    if (this.groupError !== '') {
      return { ClientStatus: 'failed', ClientDescription: this.groupError, TaskStates };
    }
    return { ...clientStatusOf(TaskStates), TaskStates };
  }

  taskHandles(): Record<string, TaskHandle | null> {
    const handles: Record<string, TaskHandle | null> = {};
    for (const [name, runner] of this.runners) handles[name] = runner.liveHandle();
    return handles;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private shouldRun(): boolean {
    if (this.groupError !== '') return false;
    if (TERMINAL_DESIRED.has(this.alloc.DesiredStatus)) return false;
    return !TERMINAL_CLIENT.has(this.clientState().ClientStatus);
  }

  private newTaskRunner(
    group: TaskGroup,
    task: Task,
    restored: ReturnType<HandleStore['load']>[string] | undefined,
  ): TaskRunner {
    const { deps } = this;
    const jobType = this.alloc.Job?.Type ?? 'service';
    const paths = taskPaths(deps.dataDir, this.allocID, task.Name);
    return new TaskRunner({
      alloc: this.alloc,
      task,
      driver: deps.drivers.get(task.Driver),
      paths,
      restart: {
        policy: task.RestartPolicy ?? group.RestartPolicy ?? defaultRestartPolicy(jobType),
        jobType,
      },
      buildEnv: () =>
        buildTaskEnv({
          alloc: this.alloc,
          task,
          node: deps.node,
          dirs: {
            allocDir: paths.allocDir,
            localDir: paths.localDir,
            secretsDir: paths.secretsDir,
          },
          hostEnv: deps.hostEnv ?? process.env,
        }),
      restored,
      persist: (persisted) => deps.handleStore.save(this.allocID, task.Name, persisted),
      onStateChange: () => this.taskChanged(task.Name),
      logger: this.logger,
    });
  }

  /** Acts on a task's death once: a dead leader or a failed task stops the live siblings. */
  private taskChanged(name: string): void {
    const runner = this.runners.get(name);
    // Called from the task runner's constructor before it is in the map: nothing to act on yet.
    if (runner && !this.deaths.has(name) && runner.taskState().State === 'dead') {
      this.deaths.add(name);
      const state = runner.taskState();
      let killEvent: TaskEvent | undefined;
      if (runner.isLeader) killEvent = newTaskEvent('Leader Task Dead');
      else if (state.Failed) {
        killEvent = newTaskEvent('Sibling Task Failed', {
          FailedSibling: name,
          Details: { failed_sibling: name },
        });
      }
      const live = [...this.runners.values()].filter((r) => r.taskState().State !== 'dead');
      if (killEvent && live.length > 0 && !this.stopping) {
        for (const r of live) r.emit({ ...killEvent });
        this.stopping = this.killTasks();
      }
    }
    this.notify();
  }

  /** Kills every task: the leader first, then the rest together (Nomad's killTasks). */
  private async killTasks(): Promise<void> {
    const killing = (r: TaskRunner): TaskEvent =>
      newTaskEvent('Killing', {
        KillTimeout: r.killTimeoutNs,
        Details: { kill_timeout: formatGoDuration(r.killTimeoutNs) },
      });
    const runners = [...this.runners.values()];
    for (const r of runners) r.expectKill();
    const leader = runners.find((r) => r.isLeader);
    if (leader) await leader.kill(killing(leader));
    await Promise.all(runners.filter((r) => r !== leader).map((r) => r.kill(killing(r))));
  }

  private notify(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        this.logger.error('alloc runner listener failed', { error: String(error) });
      }
    }
  }
}

/** Nomad's allocdir layout under `<dataDir>/alloc/<allocID>`. */
export function taskPaths(dataDir: string, allocID: string, taskName: string): TaskPaths {
  const root = join(dataDir, 'alloc', allocID);
  const allocDir = join(root, 'alloc');
  const taskDir = join(root, taskName);
  return {
    allocDir,
    taskDir,
    localDir: join(taskDir, 'local'),
    secretsDir: join(taskDir, 'secrets'),
    stdoutPath: join(allocDir, 'logs', `${taskName}.stdout.0`),
    stderrPath: join(allocDir, 'logs', `${taskName}.stderr.0`),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Several tasks' failures as one answer, in Nomad's multi-error text. Its status is theirs when
 * they agree on a client-side cause (every task not running: 409), else 500.
 */
function combined(failures: LifecycleError[]): LifecycleError {
  const status = failures[0]!.status;
  const same = status < 500 && failures.every((f) => f.status === status);
  return new LifecycleError(same ? status : 500, multiError(failures.map((f) => f.message)));
}

function asLifecycleError(error: unknown): LifecycleError {
  if (error instanceof LifecycleError) return error;
  if (error instanceof UnknownSignalError) return new LifecycleError(400, error.message);
  return new LifecycleError(500, messageOf(error));
}
