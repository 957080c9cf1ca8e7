// A table of the state store, as a go-memdb table: a primary key, sorted secondary indexes, watch
// keys, and how its objects are persisted. Concrete tables are declarations (see tables/).

import type { ColumnSpec, ColumnValue, StoredRow, TableSchema } from './backend.js';
import { SortedIndex, type IndexChange, type KeyField, type KeyPart } from './sorted-index.js';

/** Looks up already-loaded objects while a table is being loaded (e.g. to re-link shared ones). */
export interface LoadLookup {
  get(table: string, primaryKey: string): unknown;
}

/** The declaration of one table. */
export interface TableDef<T> {
  /** Table name, `[a-z_]+`; also the table key watchers use and the persisted table's name. */
  readonly name: string;
  /** Primary key fields, in order; persisted as key columns. */
  readonly key: readonly KeyColumn<T>[];
  /** Sorted secondary indexes, by name. Each is ordered by its fields, then the primary key. */
  readonly indexes?: Readonly<Record<string, readonly KeyField<T>[]>>;
  /**
   * Narrower watch keys: a write to an object wakes `<table>:<name>:<value>` for each entry here,
   * for both its old and new version (undefined: none).
   */
  readonly watch?: Readonly<Record<string, (obj: T) => string | undefined>>;
  /** Extra persisted columns (key columns come from `key`). */
  readonly columns?: readonly (ColumnSpec & { readonly value: (obj: T) => ColumnValue })[];
  /** The JSON document persisted for an object (default: the object itself). */
  readonly toDoc?: (obj: T) => unknown;
  /** Rebuilds an object from its document and row (default: the document). */
  readonly fromDoc?: (doc: unknown, row: StoredRow, loaded: LoadLookup) => T;
}

export interface KeyColumn<T> {
  readonly column: string;
  readonly type: 'text' | 'integer';
  readonly field: (obj: T) => string | number;
}

/** Separates the parts of a composite primary key (never part of an ID or name). */
const SEP = '\u0000';

/** Joins key parts into a primary key string. */
export function joinKey(parts: readonly KeyPart[]): string {
  return parts.length === 1 ? String(parts[0]) : parts.join(SEP);
}

/** The persisted layout of a table declaration. */
export function tableSchema(def: TableDef<unknown>): TableSchema {
  return {
    name: def.name,
    keyColumns: def.key.map(({ column, type }) => ({ name: column, type })),
    columns: (def.columns ?? []).map(({ name, type, nullable }) => ({
      name,
      type,
      ...(nullable === undefined ? {} : { nullable }),
    })),
  };
}

/** A change to one object: its previous version (absent if new) and next one (absent if deleted). */
export type ObjectChange<T> = IndexChange<T>;

/** The in-memory table: objects by primary key and its sorted indexes. */
export class Table<T> {
  readonly name: string;
  private readonly rows = new Map<string, T>();
  private readonly sorted = new Map<string, SortedIndex<T>>();
  private lastWrite = 0;

  constructor(readonly def: TableDef<T>) {
    this.name = def.name;
    for (const [name, fields] of Object.entries(def.indexes ?? {})) {
      this.sorted.set(name, new SortedIndex(name, fields, (obj) => this.primaryKey(obj)));
    }
  }

  /** The primary key string of an object. */
  primaryKey(obj: T): string {
    const { key } = this.def;
    if (key.length === 1) {
      const v = (key[0] as KeyColumn<T>).field(obj);
      return typeof v === 'string' ? v : String(v);
    }
    return key.map((k) => k.field(obj)).join(SEP);
  }

  /** The index of the last write to this table (0: never written). */
  get lastIndex(): number {
    return this.lastWrite;
  }

  get size(): number {
    return this.rows.size;
  }

  get(primaryKey: string): T | undefined {
    return this.rows.get(primaryKey);
  }

  /** A sorted index by name (throws for an undeclared one: a programming error). */
  sortedBy(name: string): SortedIndex<T> {
    const index = this.sorted.get(name);
    if (index === undefined) throw new Error(`table ${this.name} has no index ${name}`);
    return index;
  }

  values(): IterableIterator<T> {
    return this.rows.values();
  }

  /** The watch key of the whole table. */
  get tableKey(): string {
    return this.name;
  }

  /** The watch key of one object. */
  objectKey(primaryKey: string): string {
    return `${this.name}:id:${primaryKey}`;
  }

  /** The watch key of one value of a narrower watch (see TableDef.watch). */
  watchKey(watch: string, value: string): string {
    return `${this.name}:${watch}:${value}`;
  }

  /** Adds the watch keys a change to `obj` wakes (except the table key) to `into`. */
  collectWatchKeys(obj: T, into: Set<string>): void {
    into.add(this.objectKey(this.primaryKey(obj)));
    for (const [watch, fn] of Object.entries(this.def.watch ?? {})) {
      const value = fn(obj);
      if (value !== undefined) into.add(this.watchKey(watch, value));
    }
  }

  /** The persisted row of an object. */
  toRow(obj: T): StoredRow {
    const values: ColumnValue[] = this.def.key.map((k) => k.field(obj));
    for (const col of this.def.columns ?? []) values.push(col.value(obj));
    const doc = this.def.toDoc ? this.def.toDoc(obj) : obj;
    return { values, doc: JSON.stringify(doc) };
  }

  /** Key column values of an object, for a delete. */
  keyValues(obj: T): ColumnValue[] {
    return this.def.key.map((k) => k.field(obj));
  }

  /** Rebuilds an object from a persisted row. */
  fromRow(row: StoredRow, loaded: LoadLookup): T {
    const doc: unknown = JSON.parse(row.doc);
    return this.def.fromDoc ? this.def.fromDoc(doc, row, loaded) : (doc as T);
  }

  /** Replaces the content (at load). */
  load(objs: readonly T[], index: number): void {
    this.rows.clear();
    for (const obj of objs) this.rows.set(this.primaryKey(obj), obj);
    for (const sorted of this.sorted.values()) sorted.reset(objs);
    this.lastWrite = index;
  }

  /**
   * Swaps objects for new versions with the same keys, without counting it as a write (used when
   * only a shared linked object changes).
   */
  replaceInPlace(changes: readonly ObjectChange<T>[]): void {
    for (const { after } of changes)
      if (after !== undefined) this.rows.set(this.primaryKey(after), after);
    for (const sorted of this.sorted.values()) sorted.apply(changes);
  }

  /** Swaps in one write's changes (already persisted) and records its index. */
  apply(changes: readonly ObjectChange<T>[], index: number): void {
    for (const { before, after } of changes) {
      if (after !== undefined) this.rows.set(this.primaryKey(after), after);
      else if (before !== undefined) this.rows.delete(this.primaryKey(before));
    }
    for (const sorted of this.sorted.values()) sorted.apply(changes);
    this.lastWrite = index;
  }
}
