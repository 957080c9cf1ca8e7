// Nomad's plan applier (nomad/plan_apply.go, plan_queue.go): plans wait in a queue ordered by
// priority and are applied one at a time. Each is re-checked node by node against the state as it
// is when applied, and what still fits is committed in ONE write; a node that no longer fits is
// rejected (all of the plan with allAtOnce) and the scheduler is told to refresh.
import type { Allocation } from '@berth/contract';
import type { StateStore, WriteTx } from '../../state/index.js';
import { nowNanos } from '../../endpoints/time.js';
import { Heap } from '../broker/heap.js';
import type { Plan, PlanResult } from '../types.js';
import { TimeSlice } from '../../endpoints/time-slice.js';
import { evaluateNodePlan } from './evaluate-node.js';

interface Queued {
  plan: Plan;
  seq: number;
  resolve: (result: PlanResult) => void;
  reject: (err: unknown) => void;
}

export interface PlanApplierOptions {
  /** The clock of CreateTime/ModifyTime (unix nanoseconds). */
  now?: () => number;
  /** Told of each node rejected, with Nomad's reason (`cpu`, `node is not ready for placements`...). */
  onReject?: (plan: Plan, nodeID: string, reason: string) => void;
}

/**
 * The most allocations (stops and placements) one write of a plan commits, so that a write holds
 * the event loop for some tens of milliseconds at most (SQLite, fsync included). A node's part is
 * never split: a node with more goes alone.
 */
export const MAX_ALLOCS_PER_WRITE = 150;

/** The plan's nodes in groups of about {@link MAX_ALLOCS_PER_WRITE} allocations. */
function chunksOf(plan: Plan, nodeIDs: readonly string[]): string[][] {
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let size = 0;
  for (const nodeID of nodeIDs) {
    const n =
      (plan.nodeUpdate.get(nodeID)?.length ?? 0) + (plan.nodeAllocation.get(nodeID)?.length ?? 0);
    if (chunk.length > 0 && size + n > MAX_ALLOCS_PER_WRITE) {
      chunks.push(chunk);
      chunk = [];
      size = 0;
    }
    chunk.push(nodeID);
    size += n;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** Thrown inside a write to abandon it: nothing of the plan can be committed. */
class NothingToCommit extends Error {}
const NOTHING = new NothingToCommit('nothing to commit');

export class PlanApplier {
  private readonly queue = new Heap<Queued>((a, b) =>
    a.plan.priority !== b.plan.priority ? a.plan.priority > b.plan.priority : a.seq < b.seq,
  );
  private seq = 0;
  private running = false;
  private stopped = false;
  private readonly now: () => number;
  private readonly onReject: NonNullable<PlanApplierOptions['onReject']>;
  private readonly slice = new TimeSlice();

  constructor(
    private readonly store: StateStore,
    options: PlanApplierOptions = {},
  ) {
    this.now = options.now ?? nowNanos;
    this.onReject = options.onReject ?? (() => {});
  }

  /** Queues a plan; resolves with what was committed once it has been applied. */
  submit(plan: Plan): Promise<PlanResult> {
    if (this.stopped) return Promise.reject(new Error('plan applier stopped'));
    return new Promise((resolve, reject) => {
      this.queue.push({ plan, seq: this.seq++, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  /** Rejects the plans still queued; the one being applied completes. */
  stop(): void {
    this.stopped = true;
    for (const q of this.queue.drain()) q.reject(new Error('plan applier stopped'));
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let next = this.queue.pop(); next !== undefined; next = this.queue.pop()) {
        try {
          next.resolve(await this.apply(next.plan));
        } catch (err) {
          next.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /**
   * Checks and commits one plan. Exposed for tests; use `submit` to respect the queue.
   *
   * A plan of more than {@link MAX_ALLOCS_PER_WRITE} allocations is committed node by node in
   * several writes, each re-checked against the state it commits on, with a turn of the event
   * loop between them (one write of 10,000 allocations holds the loop for half a second). Nomad
   * commits the nodes that fit and rejects the others anyway, so only the moment each node's
   * part becomes visible differs. An all-at-once plan stays one write.
   */
  async apply(plan: Plan): Promise<PlanResult> {
    const nodeIDs = [...new Set([...plan.nodeUpdate.keys(), ...plan.nodeAllocation.keys()])];
    const chunks = plan.allAtOnce ? [nodeIDs] : chunksOf(plan, nodeIDs);
    const result: PlanResult = { ...emptyResult(), allocIndex: 0, refreshIndex: 0 };
    for (const chunk of chunks) {
      await this.slice.maybeYield();
      const part = await this.applyNodes(plan, chunk);
      for (const [nodeID, allocs] of part.nodeUpdate) result.nodeUpdate.set(nodeID, allocs);
      for (const [nodeID, allocs] of part.nodeAllocation) result.nodeAllocation.set(nodeID, allocs);
      result.allocIndex = Math.max(result.allocIndex, part.allocIndex);
      result.refreshIndex = Math.max(result.refreshIndex, part.refreshIndex);
    }
    // A part rejected early: the scheduler must also see what later writes committed.
    if (result.refreshIndex > 0)
      result.refreshIndex = Math.max(result.refreshIndex, result.allocIndex);
    return result;
  }

  /** Checks the plan's part for these nodes and commits what fits in one write. */
  private async applyNodes(plan: Plan, nodeIDs: readonly string[]): Promise<PlanResult> {
    let committed: Pick<PlanResult, 'nodeUpdate' | 'nodeAllocation'> = emptyResult();
    let rejected = false;
    try {
      const index = await this.store.write((tx) => {
        const accepted = this.acceptedNodes(plan, nodeIDs);
        rejected = accepted.rejected;
        if (accepted.nodes.length === 0) throw NOTHING;
        committed = this.stage(tx, plan, accepted.nodes);
        if (committed.nodeUpdate.size === 0 && committed.nodeAllocation.size === 0) throw NOTHING;
      });
      return { ...committed, allocIndex: index, refreshIndex: rejected ? index : 0 };
    } catch (err) {
      if (err !== NOTHING) throw err;
      return {
        ...emptyResult(),
        allocIndex: 0,
        refreshIndex: rejected ? this.store.latestIndex() : 0,
      };
    }
  }

  /** The nodes whose part of the plan fits now (none with allAtOnce if any does not). */
  private acceptedNodes(
    plan: Plan,
    nodeIDs: readonly string[],
  ): { nodes: string[]; rejected: boolean } {
    const nodes: string[] = [];
    let rejected = false;
    for (const nodeID of nodeIDs) {
      const verdict = evaluateNodePlan(this.store, plan, nodeID);
      if (verdict.fit) {
        nodes.push(nodeID);
        continue;
      }
      rejected = true;
      this.onReject(plan, nodeID, verdict.reason);
      if (plan.allAtOnce) return { nodes: [], rejected };
    }
    return { nodes, rejected };
  }

  /** Stages the accepted nodes' stops, then their placements, as Nomad's UpsertPlanResults. */
  private stage(
    tx: WriteTx,
    plan: Plan,
    nodes: readonly string[],
  ): Pick<PlanResult, 'nodeUpdate' | 'nodeAllocation'> {
    const now = this.now();
    const result = emptyResult();
    for (const nodeID of nodes) {
      for (const a of plan.nodeUpdate.get(nodeID) ?? []) {
        const written = stageStop(tx, a, now);
        if (written !== undefined) push(result.nodeUpdate, nodeID, written);
      }
    }
    for (const nodeID of nodes) {
      for (const a of plan.nodeAllocation.get(nodeID) ?? []) {
        const written = stagePlacement(tx, a, now);
        if (written !== undefined) push(result.nodeAllocation, nodeID, written);
      }
    }
    return result;
  }
}

function emptyResult(): Pick<PlanResult, 'nodeUpdate' | 'nodeAllocation'> {
  return { nodeUpdate: new Map(), nodeAllocation: new Map() };
}

function push(map: Map<string, Allocation[]>, key: string, a: Allocation): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [a]);
  else list.push(a);
}

/** The client statuses only the servers set (a node found down or disconnected). */
function serverSetClientStatus(a: Allocation): boolean {
  return a.ClientStatus === 'lost' || a.ClientStatus === 'unknown';
}

/**
 * A stop (or lost): the stored allocation with the scheduler's desired status and description,
 * its client status only when the scheduler marks it lost/unknown (the client's own report wins
 * otherwise). Skipped when the allocation is gone.
 */
function stageStop(tx: WriteTx, planned: Allocation, now: number): Allocation | undefined {
  const existing = tx.alloc(planned.ID);
  if (existing === undefined) return undefined;
  const client = serverSetClientStatus(planned);
  const written: Allocation = {
    ...existing,
    DesiredStatus: planned.DesiredStatus,
    DesiredDescription: planned.DesiredDescription,
    ClientStatus: client ? planned.ClientStatus : existing.ClientStatus,
    ClientDescription: client ? planned.ClientDescription : existing.ClientDescription,
    AllocStates: client ? planned.AllocStates : existing.AllocStates,
    FollowupEvalID: planned.FollowupEvalID || existing.FollowupEvalID,
    ModifyIndex: tx.index,
    AllocModifyIndex: tx.index,
    ModifyTime: now,
  };
  tx.upsertAlloc(written);
  return written;
}

/**
 * A placement or an in-place update. An update keeps the stored CreateIndex, task states, client
 * status (unless the scheduler marks it lost/unknown) and NextAllocation. A new allocation is
 * dropped when its job is gone or stopped meanwhile; otherwise it gets the write's index and its
 * PreviousAllocation gets `NextAllocation` pointing at it.
 */
function stagePlacement(tx: WriteTx, planned: Allocation, now: number): Allocation | undefined {
  const existing = tx.alloc(planned.ID);
  if (existing !== undefined) {
    const client = serverSetClientStatus(planned);
    const written: Allocation = {
      ...planned,
      Job: planned.Job ?? existing.Job,
      CreateIndex: existing.CreateIndex,
      CreateTime: existing.CreateTime,
      TaskStates: existing.TaskStates,
      ClientStatus: client ? planned.ClientStatus : existing.ClientStatus,
      ClientDescription: client ? planned.ClientDescription : existing.ClientDescription,
      NextAllocation: existing.NextAllocation || planned.NextAllocation,
      ModifyIndex: tx.index,
      AllocModifyIndex: tx.index,
      ModifyTime: now,
    };
    tx.upsertAlloc(written);
    return written;
  }

  const job = tx.job(planned.Namespace, planned.JobID);
  if (job === undefined || job.Stop || planned.Job === null) return undefined;
  const written: Allocation = {
    ...planned,
    CreateIndex: tx.index,
    ModifyIndex: tx.index,
    AllocModifyIndex: tx.index,
    CreateTime: planned.CreateTime || now,
    ModifyTime: now,
  };
  tx.upsertAlloc(written);
  if (planned.PreviousAllocation !== '') {
    const previous = tx.alloc(planned.PreviousAllocation);
    if (previous !== undefined) {
      tx.upsertAlloc({ ...previous, NextAllocation: planned.ID, ModifyIndex: tx.index });
    }
  }
  return written;
}
