// The state store, as Nomad's nomad/state: in-memory tables of immutable objects over a durable
// backend, one global index, and watches for blocking queries.
//
// Write path: write(fn) → fn stages changes on a WriteTx → prepareWrite links shared objects →
// backend.commit (one transaction, durable) → tables swap the objects in → watchers of the changed
// keys wake. If the commit throws, memory is untouched and the error propagates.

import type {
  AclPolicy,
  AclToken,
  Allocation,
  Evaluation,
  Job,
  Namespace,
  Node,
} from '@berth/contract';
import { ALL_NAMESPACES, DEFAULT_NAMESPACE } from '@berth/contract';

import { Commit, type CommitListener } from './commit.js';
import { deepFreeze } from './freeze.js';
import type {
  ChangeSet,
  LoadedState,
  StateBackend,
  SyncStateBackend,
  TableChanges,
  TableSchema,
} from './backend.js';
import { prepareWrite, type PreparedWrite } from './prepare.js';
import { Table, tableSchema, type LoadLookup, type TableDef } from './table.js';
import {
  ACL_BOOTSTRAP_KEY,
  defaultNamespace,
  jobKey,
  jobVersionKey,
  type JobScalingEvents,
  tableDefs,
  tableNames,
  type StateTables,
  type TableName,
} from './tables/index.js';
import { WriteTx, type StoreTables } from './tx.js';
import { WatchSet } from './watch-set.js';
import { Watchers } from './watchers.js';

export interface StateStoreOptions {
  /** Deep-freeze every stored object, so accidental mutation throws (development and tests). */
  readonly freeze?: boolean;
}

/** Options of the ordered allocation lists. */
export interface AllocListOptions {
  /** Newest first (greatest CreateIndex, then greatest ID). */
  readonly reverse?: boolean;
  /** Start at this position (inclusive): a pagination token's CreateIndex and ID. */
  readonly from?: { readonly createIndex: number; readonly id: string };
}

/** Options of an allocation ID-prefix scan. */
export interface AllocPrefixOptions {
  /** Only this namespace; `'*'` or absent: every namespace. */
  readonly namespace?: string;
  /** IDs descending. */
  readonly reverse?: boolean;
  /** Start at this ID (inclusive): a pagination token. */
  readonly from?: string;
}

function schemas(): TableSchema[] {
  return tableNames.map((name) => tableSchema(tableDefs[name] as TableDef<unknown>));
}

export class StateStore {
  private latest: number;
  private readonly watchers: Watchers;
  private busy = false;
  private readonly turns: (() => void)[] = [];
  private closed = false;
  private readonly listeners = new Set<CommitListener>();

  private constructor(
    private readonly backend: StateBackend,
    private readonly tables: StoreTables,
    latest: number,
    private readonly freeze: boolean,
  ) {
    this.latest = latest;
    this.watchers = new Watchers(latest);
  }

  /** Loads every table from `backend`, and creates the `default` namespace on first start. */
  static async open(backend: StateBackend, options: StateStoreOptions = {}): Promise<StateStore> {
    try {
      const store = StateStore.fromLoaded(backend, await backend.load(schemas()), options);
      if (store.namespaceByName(DEFAULT_NAMESPACE) === undefined) {
        await store.write((tx) => tx.upsertNamespace(defaultNamespace(tx.index)));
      }
      return store;
    } catch (err) {
      backend.close();
      throw err;
    }
  }

  /** As `open`, for a backend that loads and commits synchronously (the embedded SQLite one). */
  static openSync(backend: SyncStateBackend, options: StateStoreOptions = {}): StateStore {
    try {
      const store = StateStore.fromLoaded(backend, backend.load(schemas()), options);
      if (store.namespaceByName(DEFAULT_NAMESPACE) === undefined) {
        const staged = store.stage((tx) => tx.upsertNamespace(defaultNamespace(tx.index)));
        backend.commit(staged.changeSet);
        store.apply(staged.prepared, staged.index);
      }
      return store;
    } catch (err) {
      backend.close();
      throw err;
    }
  }

  private static fromLoaded(
    backend: StateBackend,
    loaded: LoadedState,
    options: StateStoreOptions,
  ): StateStore {
    const tables = {} as Record<TableName, Table<unknown>>;
    const lookup: LoadLookup = { get: (table, pk) => tables[table as TableName]?.get(pk) };
    for (const name of tableNames) {
      const table = new Table(tableDefs[name] as TableDef<unknown>);
      const objs = (loaded.rows.get(name) ?? []).map((row) => table.fromRow(row, lookup));
      if (options.freeze) for (const obj of objs) deepFreeze(obj);
      table.load(objs, loaded.tableIndexes.get(name) ?? 0);
      tables[name] = table;
    }
    return new StateStore(
      backend,
      tables as unknown as StoreTables,
      loaded.index,
      options.freeze ?? false,
    );
  }

  // ── Writes ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Runs `fn` to stage one change, persists it in one backend transaction at the next index,
   * then makes it visible and wakes the watchers of what changed. Resolves with the index.
   *
   * Writes run one at a time, in call order; `fn` sees every earlier write and must be
   * synchronous. If `fn` or the commit throws, nothing changes and the index is not used. (With
   * the SQLite backend and no write in progress, the change is visible when `write` returns.)
   */
  async write(fn: (tx: WriteTx) => void): Promise<number> {
    if (this.closed) throw new Error('state: store is closed');
    if (this.busy) await new Promise<void>((resolve) => this.turns.push(resolve));
    this.busy = true;
    try {
      if (this.closed) throw new Error('state: store is closed');
      const { index, prepared, changeSet } = this.stage(fn);
      const pending = this.backend.commit(changeSet);
      if (pending !== undefined) await pending;
      this.apply(prepared, index);
      return index;
    } finally {
      const next = this.turns.shift();
      if (next !== undefined) next();
      else this.busy = false;
    }
  }

  /** Runs `fn` on a transaction at the next index and prepares what to persist and apply. */
  private stage(fn: (tx: WriteTx) => void): {
    index: number;
    prepared: PreparedWrite;
    changeSet: ChangeSet;
  } {
    const index = this.latest + 1;
    const tx = new WriteTx(index, this.tables, this.freeze);
    let result: unknown;
    try {
      result = fn(tx);
    } finally {
      tx.finish();
    }
    if (result instanceof Promise) throw new Error('state: a write function must be synchronous');
    const prepared = prepareWrite(tx.finish(), this.tables, this.freeze);
    return { index, prepared, changeSet: this.changeSet(prepared, index) };
  }

  private changeSet(prepared: PreparedWrite, index: number): ChangeSet {
    const tables: TableChanges[] = [];
    for (const [name, changes] of prepared.changes) {
      const table = this.tables[name] as Table<unknown>;
      const puts = [];
      const deletes = [];
      for (const { before, after } of changes) {
        if (after !== undefined) puts.push(table.toRow(after));
        else if (before !== undefined) deletes.push(table.keyValues(before));
      }
      tables.push({ table: name, puts, deletes });
    }
    return { index, tables };
  }

  private apply(prepared: PreparedWrite, index: number): void {
    const keys = new Set<string>();
    for (const name of tableNames) {
      const changes = prepared.changes.get(name);
      if (changes === undefined) continue;
      const table = this.tables[name] as Table<unknown>;
      table.apply(changes, index);
      keys.add(table.tableKey);
      for (const { before, after } of changes) {
        if (before !== undefined) table.collectWatchKeys(before, keys);
        if (after !== undefined) table.collectWatchKeys(after, keys);
      }
    }
    if (prepared.relinked.length > 0) this.tables.allocs.replaceInPlace(prepared.relinked);
    this.latest = index;
    this.watchers.notify(index, keys);
    if (this.listeners.size > 0) this.emit(new Commit(index, prepared.changes));
  }

  private emit(commit: Commit): void {
    for (const listener of this.listeners) {
      try {
        listener(commit);
      } catch (err) {
        // The write is already durable and visible: a listener's fault must not undo or fail it.
        console.error('state: commit listener failed', err);
      }
    }
  }

  /**
   * Calls `listener` after every later write, once it is visible, with what it changed (not for
   * allocations merely re-linked to a replaced job version). Returns the function that removes it.
   */
  onCommit(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A fresh watch set for one attempt of a blocking query. */
  newWatchSet(): WatchSet {
    return new WatchSet();
  }

  // ── Watches ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Resolves `true` as soon as a key watched by `ws` changes at an index above `afterIndex` and
   * above the index the set's reads ran at (at once if that already happened between the read
   * and this call); resolves `false` when `signal` aborts or the store closes. Never polls.
   */
  waitForChange(ws: WatchSet, afterIndex: number, signal?: AbortSignal): Promise<boolean> {
    return this.watchers.wait(ws, afterIndex, signal);
  }

  /** Number of pending `waitForChange` calls (for tests and metrics). */
  get waiting(): number {
    return this.watchers.waiting;
  }

  // ── Indexes ─────────────────────────────────────────────────────────────────────────────────

  /** The index of the last applied write (0: none). */
  latestIndex(): number {
    return this.latest;
  }

  /** The index of the last write to a table (0: never written): a list's `X-Nomad-Index`. */
  tableIndex(name: TableName): number {
    return this.tables[name].lastIndex;
  }

  // ── Reads ───────────────────────────────────────────────────────────────────────────────────
  // Each read is synchronous, so it sees one consistent state. Lists are fresh arrays; the objects
  // in them are never mutated. With `ws`, a read records the keys a change to its result wakes.

  private watch(ws: WatchSet | undefined, key: string): void {
    ws?.add(key, this.latest);
  }

  private lookup<K extends TableName>(
    name: K,
    pk: string,
    ws: WatchSet | undefined,
  ): StateTables[K] | undefined {
    const table = this.tables[name];
    const obj = table.get(pk);
    if (ws !== undefined) {
      this.watch(ws, table.objectKey(pk));
      // Not found: the answer's index is the table's, so any write to the table may matter.
      if (obj === undefined) this.watch(ws, table.tableKey);
    }
    return obj;
  }

  allocByID(id: string, ws?: WatchSet): Allocation | undefined {
    return this.lookup('allocs', id, ws);
  }

  /**
   * Allocations whose ID starts with `prefix` (lower-case hex with hyphens, as stored), in ID
   * order. An empty prefix matches every allocation.
   */
  allocsByIDPrefix(prefix: string, options: AllocPrefixOptions = {}, ws?: WatchSet): Allocation[] {
    return this.namespacedPrefixScan(this.tables.allocs, prefix, options, ws);
  }

  /** Allocations of a namespace (`'*'`: all), ordered by CreateIndex then ID. */
  allocsByNamespace(
    namespace: string,
    options: AllocListOptions = {},
    ws?: WatchSet,
  ): Allocation[] {
    const table = this.tables.allocs;
    const from =
      options.from === undefined ? {} : { from: [options.from.createIndex, options.from.id] };
    if (namespace === ALL_NAMESPACES) {
      this.watch(ws, table.tableKey);
      return table.sortedBy('create').range({ reverse: options.reverse, ...from });
    }
    this.watch(ws, table.watchKey('namespace', namespace));
    return table
      .sortedBy('namespace_create')
      .range({ eq: [namespace], reverse: options.reverse, ...from });
  }

  /** Allocations of one job, in ID order. */
  allocsByJob(namespace: string, jobID: string, ws?: WatchSet): Allocation[] {
    const table = this.tables.allocs;
    this.watch(ws, table.watchKey('job', jobKey(namespace, jobID)));
    return table.sortedBy('job').range({ eq: [namespace, jobID] });
  }

  /** Allocations placed on one node, in ID order. */
  allocsByNode(nodeID: string, ws?: WatchSet): Allocation[] {
    const table = this.tables.allocs;
    this.watch(ws, table.watchKey('node', nodeID));
    return table.sortedBy('node').range({ eq: [nodeID] });
  }

  /** Allocations created or updated by one evaluation, in ID order. */
  allocsByEval(evalID: string, ws?: WatchSet): Allocation[] {
    const table = this.tables.allocs;
    this.watch(ws, table.watchKey('eval', evalID));
    return table.sortedBy('eval').range({ eq: [evalID] });
  }

  evalByID(id: string, ws?: WatchSet): Evaluation | undefined {
    return this.lookup('evals', id, ws);
  }

  /** Evaluations of a namespace (`'*'`: all), ordered by CreateIndex then ID. */
  evalsByNamespace(namespace: string, options: AllocListOptions = {}, ws?: WatchSet): Evaluation[] {
    const table = this.tables.evals;
    const from =
      options.from === undefined ? {} : { from: [options.from.createIndex, options.from.id] };
    if (namespace === ALL_NAMESPACES) {
      this.watch(ws, table.tableKey);
      return table.sortedBy('create').range({ reverse: options.reverse, ...from });
    }
    this.watch(ws, table.watchKey('namespace', namespace));
    return table
      .sortedBy('namespace_create')
      .range({ eq: [namespace], reverse: options.reverse, ...from });
  }

  /** Evaluations whose ID starts with `prefix`, in ID order (as `allocsByIDPrefix`). */
  evalsByIDPrefix(prefix: string, options: AllocPrefixOptions = {}, ws?: WatchSet): Evaluation[] {
    return this.namespacedPrefixScan(this.tables.evals, prefix, options, ws);
  }

  /**
   * Objects of a namespaced table whose ID starts with `prefix`, in ID order, within one namespace
   * (watching that namespace's key) or all of them (watching the table).
   */
  private namespacedPrefixScan<T extends { Namespace: string }>(
    table: Table<T>,
    prefix: string,
    { namespace, reverse, from }: AllocPrefixOptions,
    ws?: WatchSet,
  ): T[] {
    const all = namespace === undefined || namespace === ALL_NAMESPACES;
    this.watch(ws, all ? table.tableKey : table.watchKey('namespace', namespace));
    const found = table.sortedBy('id').range({
      prefix,
      reverse,
      ...(from === undefined ? {} : { from: [from] }),
    });
    return all ? found : found.filter((o) => o.Namespace === namespace);
  }

  /** Evaluations of one job, in ID order. */
  evalsByJob(namespace: string, jobID: string, ws?: WatchSet): Evaluation[] {
    const table = this.tables.evals;
    this.watch(ws, table.watchKey('job', jobKey(namespace, jobID)));
    return table.sortedBy('job').range({ eq: [namespace, jobID] });
  }

  /** A job's scaling events by task group, newest first (undefined: none recorded). */
  scalingEventsByJob(
    namespace: string,
    jobID: string,
    ws?: WatchSet,
  ): JobScalingEvents | undefined {
    return this.lookup('scaling_events', jobKey(namespace, jobID), ws);
  }

  /** The current version of a job. */
  jobByID(namespace: string, id: string, ws?: WatchSet): Job | undefined {
    return this.lookup('jobs', jobKey(namespace, id), ws);
  }

  /** One stored version of a job. */
  jobVersion(namespace: string, id: string, version: number, ws?: WatchSet): Job | undefined {
    return this.lookup('job_versions', jobVersionKey(namespace, id, version), ws);
  }

  /** The stored versions of a job, newest first. */
  jobVersions(namespace: string, id: string, ws?: WatchSet): Job[] {
    const table = this.tables.job_versions;
    this.watch(ws, table.watchKey('job', jobKey(namespace, id)));
    return table.sortedBy('job').range({ eq: [namespace, id], reverse: true });
  }

  /** Current jobs of a namespace (`'*'`: all), ordered by namespace then ID. */
  jobs(namespace: string, ws?: WatchSet): Job[] {
    const table = this.tables.jobs;
    if (namespace === ALL_NAMESPACES) {
      this.watch(ws, table.tableKey);
      return table.sortedBy('namespace').range();
    }
    this.watch(ws, table.watchKey('namespace', namespace));
    return table.sortedBy('namespace').range({ eq: [namespace] });
  }

  nodeByID(id: string, ws?: WatchSet): Node | undefined {
    return this.lookup('nodes', id, ws);
  }

  /** All nodes, in ID order. */
  nodes(ws?: WatchSet): Node[] {
    const table = this.tables.nodes;
    this.watch(ws, table.tableKey);
    return table.sortedBy('id').range();
  }

  /** Nodes whose ID starts with `prefix` ('' for all), in ID order. */
  nodesByIDPrefix(prefix: string, ws?: WatchSet): Node[] {
    const table = this.tables.nodes;
    this.watch(ws, table.tableKey);
    return table.sortedBy('id').range({ prefix });
  }

  /**
   * The node whose SecretID is `secret` (compared as stored), for the ACL resolver, which takes a
   * node's secret as that node's identity. Never matches an empty secret.
   */
  nodeBySecret(secret: string, ws?: WatchSet): Node | undefined {
    return this.bySecondary('nodes', 'secret', secret, ws);
  }

  /**
   * The one object whose secondary index `index` holds `value` ('' never matches), watching that
   * object when found and the table when not (as a lookup by primary key does).
   */
  private bySecondary<K extends 'nodes' | 'acl_tokens'>(
    name: K,
    index: string,
    value: string,
    ws: WatchSet | undefined,
  ): StateTables[K] | undefined {
    const table = this.tables[name] as Table<StateTables[K]>;
    const obj = value === '' ? undefined : table.sortedBy(index).range({ eq: [value] })[0];
    if (ws !== undefined) {
      if (obj !== undefined) this.watch(ws, table.objectKey(table.primaryKey(obj)));
      else this.watch(ws, table.tableKey);
    }
    return obj;
  }

  namespaceByName(name: string, ws?: WatchSet): Namespace | undefined {
    return this.lookup('namespaces', name, ws);
  }

  /** All namespaces, in name order. */
  namespaces(ws?: WatchSet): Namespace[] {
    const table = this.tables.namespaces;
    this.watch(ws, table.tableKey);
    return table.sortedBy('name').range();
  }

  aclPolicyByName(name: string, ws?: WatchSet): AclPolicy | undefined {
    return this.lookup('acl_policies', name, ws);
  }

  /** ACL policies whose name starts with `prefix` ('' for all), in name order. */
  aclPolicies(prefix: string, ws?: WatchSet): AclPolicy[] {
    const table = this.tables.acl_policies;
    this.watch(ws, table.tableKey);
    return table.sortedBy('name').range({ prefix });
  }

  aclTokenByAccessor(accessorID: string, ws?: WatchSet): AclToken | undefined {
    return this.lookup('acl_tokens', accessorID, ws);
  }

  /**
   * The token whose SecretID is `secret`, compared as stored (an index lookup, so its time does
   * not depend on how much of a secret matches). Never matches an empty secret. Expiry is not
   * checked here: see `acl/live-token.ts`.
   */
  aclTokenBySecret(secret: string, ws?: WatchSet): AclToken | undefined {
    return this.bySecondary('acl_tokens', 'secret', secret, ws);
  }

  /**
   * ACL tokens, as Nomad lists them: with a `prefix`, those whose AccessorID starts with it, in
   * AccessorID order; without, all of them by CreateIndex then AccessorID. `reverse` scans from
   * the end.
   */
  aclTokens(prefix: string, ws?: WatchSet, options: { reverse?: boolean } = {}): AclToken[] {
    const table = this.tables.acl_tokens;
    this.watch(ws, table.tableKey);
    if (prefix !== '') return table.sortedBy('id').range({ prefix, reverse: options.reverse });
    return table.sortedBy('create').range({ reverse: options.reverse });
  }

  /**
   * The index at which ACLs were bootstrapped (Nomad's reset index), 0 if they never were.
   * (Bootstrap checks run inside the write; this read is not watched.)
   */
  aclBootstrapIndex(): number {
    return this.tables.acl_bootstrap.get(ACL_BOOTSTRAP_KEY)?.ResetIndex ?? 0;
  }

  // ── Lifecycle ───────────────────────────────────────────────────────────────────────────────

  /** Releases all waiters and closes the backend. Reads keep working on the last state. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.watchers.close();
    this.backend.close();
  }
}
