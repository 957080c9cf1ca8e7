// The state store: see README.md.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { SqliteBackend } from './sqlite/backend.js';
import { StateStore, type StateStoreOptions } from './store.js';

export type {
  ChangeSet,
  LoadedState,
  StateBackend,
  StoredRow,
  SyncStateBackend,
  TableSchema,
} from './backend.js';
export { Commit, type CommitListener } from './commit.js';
export { SqliteBackend } from './sqlite/backend.js';
export {
  StateStore,
  type AllocListOptions,
  type AllocPrefixOptions,
  type StateStoreOptions,
} from './store.js';
export type { JobScalingEvents, StateTables, TableName } from './tables/index.js';
export { JOB_TRACKED_SCALING_EVENTS } from './tables/index.js';
export { WriteTx } from './tx.js';
export { WatchSet } from './watch-set.js';

/** Where the state lives: `<dataDir>/state.db`, or in memory (tests, benchmarks). */
export type OpenStateStoreOptions = ({ dataDir: string } | { inMemory: true }) & StateStoreOptions;

/** The file name of the embedded database inside the data directory. */
export const STATE_DB_FILE = 'state.db';

/**
 * Opens the embedded SQLite state (creating it and the `default` namespace on first start) and
 * loads every table.
 */
export function openStateStore(options: OpenStateStoreOptions): StateStore {
  let filename = ':memory:';
  if ('dataDir' in options) {
    mkdirSync(options.dataDir, { recursive: true });
    filename = join(options.dataDir, STATE_DB_FILE);
  }
  return StateStore.openSync(new SqliteBackend(filename), { freeze: options.freeze ?? false });
}
