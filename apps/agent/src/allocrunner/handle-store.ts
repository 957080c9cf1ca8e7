// Where the runners keep what they must find again after an agent restart (Nomad's client state
// DB, client/state): each task's driver handle and its state, per allocation.
import type { TaskState } from '@berth/contract';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskHandle } from '../drivers/driver.js';

/** One task as persisted: the live driver handle (null when no process runs) and its state. */
export interface PersistedTask {
  handle: TaskHandle | null;
  state: TaskState;
}

/** Persistence of task handles and states. Writes are synchronous, so a crash loses none. */
export interface HandleStore {
  /** The persisted tasks of an allocation, by task name (empty when none). */
  load(allocID: string): Record<string, PersistedTask>;
  save(allocID: string, taskName: string, task: PersistedTask): void;
  /** Forgets the allocation (after it is destroyed). */
  remove(allocID: string): void;
  /** The allocations with persisted tasks. */
  allocIDs(): string[];
}

/** A {@link HandleStore} of one JSON file per allocation, `<dir>/<allocID>.json`. */
export class FileHandleStore implements HandleStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  load(allocID: string): Record<string, PersistedTask> {
    try {
      return JSON.parse(readFileSync(this.path(allocID), 'utf8')) as Record<string, PersistedTask>;
    } catch {
      return {};
    }
  }

  save(allocID: string, taskName: string, task: PersistedTask): void {
    const tasks = this.load(allocID);
    tasks[taskName] = task;
    // Write then rename: a reader (or a crash) never sees half a file.
    const tmp = `${this.path(allocID)}.tmp`;
    writeFileSync(tmp, JSON.stringify(tasks));
    renameSync(tmp, this.path(allocID));
  }

  remove(allocID: string): void {
    rmSync(this.path(allocID), { force: true });
  }

  allocIDs(): string[] {
    try {
      return readdirJson(this.dir);
    } catch {
      return [];
    }
  }

  private path(allocID: string): string {
    // Allocation IDs are UUIDs; anything else must not escape the directory.
    if (!/^[A-Za-z0-9-]+$/.test(allocID)) throw new Error(`invalid allocation ID ${allocID}`);
    return join(this.dir, `${allocID}.json`);
  }
}

function readdirJson(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length));
}
