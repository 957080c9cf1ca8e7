// A write transaction: stages puts and deletes against the current state. Nothing is visible to
// readers, nor persisted, until the store commits the whole transaction.

import type {
  AclPolicy,
  AclToken,
  Allocation,
  Evaluation,
  Job,
  Namespace,
  Node,
} from '@berth/contract';
import { DEFAULT_NAMESPACE } from '@berth/contract';

import { deepFreeze } from './freeze.js';
import type { Table } from './table.js';
import {
  ACL_BOOTSTRAP_KEY,
  jobKey,
  jobVersionKey,
  type JobScalingEvents,
  type StateTables,
  type TableName,
} from './tables/index.js';

/** The store's tables, by name. */
export type StoreTables = { readonly [K in TableName]: Table<StateTables[K]> };

/** Staged objects of one table by primary key; `null` marks a delete. */
export type StagedTable<T> = Map<string, T | null>;

export class WriteTx {
  private readonly staged = new Map<TableName, StagedTable<unknown>>();
  private open = true;

  constructor(
    /** The store index this transaction will be committed at: use it for CreateIndex/ModifyIndex. */
    readonly index: number,
    private readonly tables: StoreTables,
    private readonly freeze: boolean,
  ) {}

  private stagedFor<K extends TableName>(table: K): StagedTable<StateTables[K]> {
    let map = this.staged.get(table);
    if (map === undefined) {
      map = new Map();
      this.staged.set(table, map);
    }
    return map as StagedTable<StateTables[K]>;
  }

  private checkOpen(): void {
    if (!this.open) throw new Error('state: write transaction already finished');
  }

  /** Stages an insert or replacement of `obj` (by its primary key). The object must not change after. */
  put<K extends TableName>(table: K, obj: StateTables[K]): void {
    this.checkOpen();
    if (this.freeze) deepFreeze(obj);
    this.stagedFor(table).set(this.tables[table].primaryKey(obj), obj);
  }

  /** Stages the delete of the object with this primary key (nothing if there is none). */
  delete(table: TableName, primaryKey: string): void {
    this.checkOpen();
    this.stagedFor(table).set(primaryKey, null);
  }

  /** An object as this transaction would leave it (staged first, then the store). */
  get<K extends TableName>(table: K, primaryKey: string): StateTables[K] | undefined {
    const staged = this.staged.get(table)?.get(primaryKey);
    if (staged === null) return undefined;
    if (staged !== undefined) return staged as StateTables[K];
    return this.tables[table].get(primaryKey);
  }

  /** Ends staging and hands the staged changes to the store. */
  finish(): ReadonlyMap<TableName, StagedTable<unknown>> {
    this.open = false;
    return this.staged;
  }

  // Typed shorthands.

  upsertAlloc(alloc: Allocation): void {
    this.put('allocs', alloc);
  }

  deleteAlloc(id: string): void {
    this.delete('allocs', id);
  }

  upsertEval(evaluation: Evaluation): void {
    this.put('evals', evaluation);
  }

  deleteEval(id: string): void {
    this.delete('evals', id);
  }

  /** Stores `job` as the current version of its job and as the version `job.Version`. */
  upsertJob(job: Job): void {
    this.put('jobs', job);
    this.put('job_versions', job);
  }

  /** Stores one job version without changing the current job. */
  upsertJobVersion(job: Job): void {
    this.put('job_versions', job);
  }

  /** Deletes the current job (its versions stay until deleted with `deleteJobVersion`). */
  deleteJob(namespace: string, id: string): void {
    this.delete('jobs', jobKey(namespace, id));
  }

  /** Deletes one job version; the commit fails while an allocation still links to it. */
  deleteJobVersion(namespace: string, id: string, version: number): void {
    this.delete('job_versions', jobVersionKey(namespace, id, version));
  }

  /** Stores a job's scaling events (the caller keeps each group's list newest first and short). */
  upsertScalingEvents(events: JobScalingEvents): void {
    this.put('scaling_events', events);
  }

  /** Deletes a job's scaling events. */
  deleteScalingEvents(namespace: string, jobID: string): void {
    this.delete('scaling_events', jobKey(namespace, jobID));
  }

  upsertNode(node: Node): void {
    this.put('nodes', node);
  }

  deleteNode(id: string): void {
    this.delete('nodes', id);
  }

  upsertNamespace(namespace: Namespace): void {
    this.put('namespaces', namespace);
  }

  /** Deletes a namespace; the `default` namespace cannot be deleted. */
  deleteNamespace(name: string): void {
    if (name === DEFAULT_NAMESPACE)
      throw new Error('state: the default namespace cannot be deleted');
    this.delete('namespaces', name);
  }

  upsertAclPolicy(policy: AclPolicy): void {
    this.put('acl_policies', policy);
  }

  deleteAclPolicy(name: string): void {
    this.delete('acl_policies', name);
  }

  /**
   * Stores a token by its AccessorID. Its SecretID must not belong to another token (a programming
   * error: endpoints check it first and answer the caller).
   */
  upsertAclToken(token: AclToken): void {
    const holder = this.aclTokenBySecret(token.SecretID);
    if (holder !== undefined && holder.AccessorID !== token.AccessorID) {
      throw new Error('state: an ACL token secret must be unique');
    }
    this.put('acl_tokens', token);
  }

  deleteAclToken(accessorID: string): void {
    this.delete('acl_tokens', accessorID);
  }

  /** Records that ACLs were bootstrapped at `index` (Nomad's reset index). */
  setAclBootstrapIndex(index: number): void {
    this.put('acl_bootstrap', { Key: ACL_BOOTSTRAP_KEY, ResetIndex: index });
  }

  aclPolicy(name: string): AclPolicy | undefined {
    return this.get('acl_policies', name);
  }

  aclToken(accessorID: string): AclToken | undefined {
    return this.get('acl_tokens', accessorID);
  }

  /**
   * The token holding `secret` as this transaction would leave it (staged first, then the store),
   * '' matching none.
   */
  aclTokenBySecret(secret: string): AclToken | undefined {
    if (secret === '') return undefined;
    const staged = this.staged.get('acl_tokens') as StagedTable<AclToken> | undefined;
    for (const token of staged?.values() ?? []) {
      if (token !== null && token.SecretID === secret) return token;
    }
    for (const token of this.tables.acl_tokens.sortedBy('secret').range({ eq: [secret] })) {
      // A stored token staged for a change or a delete is judged by its staged version above.
      if (!staged?.has(token.AccessorID)) return token;
    }
    return undefined;
  }

  /** The bootstrap index as this transaction would leave it (0: never bootstrapped). */
  aclBootstrapIndex(): number {
    return this.get('acl_bootstrap', ACL_BOOTSTRAP_KEY)?.ResetIndex ?? 0;
  }

  alloc(id: string): Allocation | undefined {
    return this.get('allocs', id);
  }

  eval(id: string): Evaluation | undefined {
    return this.get('evals', id);
  }

  scalingEvents(namespace: string, jobID: string): JobScalingEvents | undefined {
    return this.get('scaling_events', jobKey(namespace, jobID));
  }

  job(namespace: string, id: string): Job | undefined {
    return this.get('jobs', jobKey(namespace, id));
  }

  jobVersion(namespace: string, id: string, version: number): Job | undefined {
    return this.get('job_versions', jobVersionKey(namespace, id, version));
  }

  node(id: string): Node | undefined {
    return this.get('nodes', id);
  }

  namespace(name: string): Namespace | undefined {
    return this.get('namespaces', name);
  }
}
