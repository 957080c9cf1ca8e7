// The seams between the agent's daemon and the runners of its allocations (Nomad's
// client/allocrunner): the daemon creates one AllocRunner per allocation, hands it updates, and
// forwards it the lifecycle calls that arrive over HTTP.
import type { Allocation, TaskState } from '@berth/contract';
import type { TaskHandle } from '../drivers/driver.js';

/** What an allocation's runner reports to the servers. */
export interface AllocClientState {
  ClientStatus: Allocation['ClientStatus'];
  ClientDescription: string;
  TaskStates: Record<string, TaskState>;
}

/**
 * A lifecycle call's failure, with the status the server answers (404 `Task not found`,
 * 409 `Task not running`, 400 for an unknown signal name...).
 */
export class LifecycleError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 500,
    message: string,
  ) {
    super(message);
  }
}

export interface AllocRunner {
  readonly allocID: string;
  /** Starts (or, after an agent restart, re-attaches to) the allocation's tasks. */
  run(): void;
  /** A newer version of the allocation from the servers (e.g. DesiredStatus `stop`). */
  update(alloc: Allocation): void;
  /** Signals one task, or every task when `task` is ''. Resolves once delivered. */
  signal(task: string, signal: string): Promise<void>;
  /**
   * Restarts one task, the running tasks, or all tasks; resolves after the old processes have
   * exited and the new ones started.
   */
  restart(taskName: string, allTasks: boolean): Promise<void>;
  /**
   * The driver handle of each task with a live process (null otherwise), by task name: what
   * resource statistics are measured from.
   */
  taskHandles?(): Record<string, TaskHandle | null>;
  /** Kills every task and waits for them (agent shutdown keeps tasks running; this does not). */
  destroy(): Promise<void>;
  /** The state to report; changes are announced through `onChange`. */
  clientState(): AllocClientState;
  onChange(listener: () => void): () => void;
}
