// The persistence boundary under the state store. Everything above it (tables, indexes, watches)
// is backend-independent; a backend only stores rows and the index, one transaction per write.

/** A value of a persisted column. */
export type ColumnValue = string | number | null;

/** How one object table is laid out in a backend: key columns, link columns, and a JSON document. */
export interface TableSchema {
  /** Table name, `[a-z_]+` (also the name of the store's table). */
  readonly name: string;
  /** Primary key columns, in key order. */
  readonly keyColumns: readonly ColumnSpec[];
  /** Extra columns kept beside the document (e.g. the job version an allocation links to). */
  readonly columns: readonly ColumnSpec[];
}

export interface ColumnSpec {
  readonly name: string;
  readonly type: 'text' | 'integer';
  /** Only for `columns`: whether the column may hold null. */
  readonly nullable?: boolean;
}

/** One stored object: key column values, then extra column values (schema order), and its JSON. */
export interface StoredRow {
  readonly values: readonly ColumnValue[];
  readonly doc: string;
}

/** One table's part of a write. */
export interface TableChanges {
  readonly table: string;
  /** Rows to insert or replace. */
  readonly puts: readonly StoredRow[];
  /** Key column values of rows to delete. */
  readonly deletes: readonly (readonly ColumnValue[])[];
}

/** Everything one write changes, committed atomically with the new index. */
export interface ChangeSet {
  /** The store index this write is assigned; becomes the latest index. */
  readonly index: number;
  /** Per changed table; each listed table's own index becomes `index`. */
  readonly tables: readonly TableChanges[];
}

/** What a backend holds at start. */
export interface LoadedState {
  /** The latest applied index (0 for an empty store). */
  readonly index: number;
  /** The index of each table's last write (absent: never written). */
  readonly tableIndexes: ReadonlyMap<string, number>;
  /** All rows, by table name (absent: no rows). */
  readonly rows: ReadonlyMap<string, readonly StoredRow[]>;
}

/**
 * A place to keep the state. `commit` must be durable when it returns (or its promise resolves),
 * and all-or-nothing: if it throws, nothing of the change set is stored.
 */
export interface StateBackend {
  /** Creates what is missing for `tables` (and migrates older layouts), then reads everything. */
  load(tables: readonly TableSchema[]): LoadedState | Promise<LoadedState>;
  /** Stores one change set and its index in one transaction. */
  commit(changes: ChangeSet): void | Promise<void>;
  /** Releases the backend; no call follows. */
  close(): void;
}

/** A backend whose load and commit complete before they return (the embedded SQLite one). */
export interface SyncStateBackend extends StateBackend {
  load(tables: readonly TableSchema[]): LoadedState;
  commit(changes: ChangeSet): void;
}
