// What one committed write changed, handed to commit listeners (the eval broker and the blocked
// evals tracker follow the state this way, as Nomad's FSM hands applied changes to them).

import type { ObjectChange } from './table.js';
import type { StateTables, TableName } from './tables/index.js';

/** One committed write: its index and, per table, each changed object before and after. */
export class Commit {
  constructor(
    /** The index the write was committed at. */
    readonly index: number,
    private readonly all: ReadonlyMap<TableName, readonly ObjectChange<unknown>[]>,
  ) {}

  /** The objects of `table` this write put or deleted (`after` absent: deleted). */
  changes<K extends TableName>(table: K): readonly ObjectChange<StateTables[K]>[] {
    return (this.all.get(table) ?? []) as readonly ObjectChange<StateTables[K]>[];
  }
}

/** Called synchronously after each write is visible; it must not throw (errors are logged). */
export type CommitListener = (commit: Commit) => void;
