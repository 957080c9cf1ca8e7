// Where the runners keep what they must find again after an agent restart (Nomad's client state
// DB, client/state): each task's driver handle and its state, per allocation. A store that cannot
// be read stops the agent: forgetting a running task would start it a second time.
import type { TaskState } from '@berth/contract';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { TaskHandle } from '../drivers/driver.js';
import { readIfExists, UnreadableStateError, writeFileDurably } from '../state/durable-file.js';

/** One task as persisted: the live driver handle (null when no process runs) and its state. */
export interface PersistedTask {
  handle: TaskHandle | null;
  state: TaskState;
  /** Set while a start is under way (RFC 3339): its process may exist before its handle. */
  starting?: string;
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
  /** True when the allocation has persisted tasks. */
  has(allocID: string): boolean;
}

// Only the shape the runners rely on; the rest of a task state is kept as it was written.
const PersistedTasksSchema = z.record(
  z.object({
    handle: z
      .object({
        driver: z.string(),
        taskName: z.string(),
        startedAt: z.string(),
        state: z.record(z.unknown()),
      })
      .nullable(),
    state: z.object({ State: z.string() }).passthrough(),
    starting: z.string().optional(),
  }),
);

const ALLOC_ID = /^[A-Za-z0-9-]+$/;
const WHAT = "the agent's task handles";
const CONSEQUENCE =
  'makes the agent forget tasks still running from before, which it may then start again';

/** A {@link HandleStore} of one JSON file per allocation, `<dir>/<allocID>.json`. */
export class FileHandleStore implements HandleStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /**
   * Reads every allocation's file, as the agent starts: throws an {@link UnreadableStateError}
   * naming the first one that cannot be read (permissions, bad JSON), instead of forgetting it.
   */
  open(): void {
    for (const allocID of this.allocIDs()) this.load(allocID);
  }

  load(allocID: string): Record<string, PersistedTask> {
    const file = this.path(allocID);
    try {
      const text = readIfExists(file);
      // No file: the allocation has not run on this agent yet.
      return text === undefined ? {} : parseTasks(text);
    } catch (error) {
      throw new UnreadableStateError(file, WHAT, CONSEQUENCE, error);
    }
  }

  save(allocID: string, taskName: string, task: PersistedTask): void {
    const tasks = { ...this.load(allocID), [taskName]: task };
    writeFileDurably(this.path(allocID), JSON.stringify(tasks));
  }

  remove(allocID: string): void {
    rmSync(this.path(allocID), { force: true });
  }

  has(allocID: string): boolean {
    return existsSync(this.path(allocID));
  }

  allocIDs(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (error) {
      throw new UnreadableStateError(this.dir, WHAT, CONSEQUENCE, error);
    }
    // `<id>.json.tmp` is a write a crash interrupted; its `<id>.json` is still whole.
    return names
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length))
      .filter((id) => ALLOC_ID.test(id));
  }

  private path(allocID: string): string {
    // Allocation IDs are UUIDs; anything else must not escape the directory.
    if (!ALLOC_ID.test(allocID)) throw new Error(`invalid allocation ID ${allocID}`);
    return join(this.dir, `${allocID}.json`);
  }
}

function parseTasks(text: string): Record<string, PersistedTask> {
  const parsed = PersistedTasksSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    throw new Error(`not a map of tasks to handles and states (${where}: ${issue?.message ?? ''})`);
  }
  return parsed.data as unknown as Record<string, PersistedTask>;
}
