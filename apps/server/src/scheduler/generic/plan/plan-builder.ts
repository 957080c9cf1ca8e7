// Nomad's structs.Plan as the scheduler builds it (AppendStoppedAlloc, AppendAlloc, PopUpdate),
// plus the proposed usage of every node the plan touches, kept current as decisions are added.
import type { Allocation, Evaluation, Job, Node } from '@berth/contract';

import type { Plan, SchedulerState } from '../../types.js';
import { rfc3339FromNanos } from '../time.js';
import { nodeHoldings } from './node-holdings.js';
import { NodeUsage } from './node-usage.js';

type ByNode = Map<string, Map<string, Allocation>>;

function put(map: ByNode, alloc: Allocation): void {
  let allocs = map.get(alloc.NodeID);
  if (allocs === undefined) {
    allocs = new Map();
    map.set(alloc.NodeID, allocs);
  }
  allocs.set(alloc.ID, alloc);
}

function toArrays(map: ByNode): Map<string, Allocation[]> {
  const out = new Map<string, Allocation[]>();
  for (const [node, allocs] of map) if (allocs.size > 0) out.set(node, [...allocs.values()]);
  return out;
}

export class PlanBuilder {
  private readonly updates: ByNode = new Map();
  private readonly placements: ByNode = new Map();
  private readonly usage = new Map<string, NodeUsage>();
  /** IDs of the allocations this plan creates (not in-place updates). */
  readonly created = new Set<string>();

  constructor(
    private readonly state: SchedulerState,
    private readonly evaluation: Evaluation,
    /** The job placements come from; null when the job is gone or stopped. */
    readonly job: Job | null,
  ) {}

  /** Stages a stop of `alloc` (DesiredStatus `stop`), optionally marking it lost. */
  appendStopped(
    alloc: Allocation,
    description: string,
    clientStatus = '',
    followupEvalID = '',
    now = Date.now() * 1_000_000,
  ): void {
    const stopped: Allocation = {
      ...alloc,
      DesiredStatus: 'stop',
      DesiredDescription: description,
      ModifyTime: now,
    };
    if (clientStatus !== '') {
      stopped.ClientStatus = clientStatus as Allocation['ClientStatus'];
      stopped.AllocStates = [
        ...(alloc.AllocStates ?? []),
        { Field: 'ClientStatus', Value: clientStatus, Time: rfc3339FromNanos(now) },
      ];
    }
    if (followupEvalID !== '') stopped.FollowupEvalID = followupEvalID;
    put(this.updates, stopped);
    this.usage.get(alloc.NodeID)?.remove(alloc.ID);
  }

  /** Removes a staged stop of `alloc` (it keeps running as it was). */
  popUpdate(alloc: Allocation): void {
    const removed = this.updates.get(alloc.NodeID)?.delete(alloc.ID) ?? false;
    const usage = this.usage.get(alloc.NodeID);
    if (!removed || usage === undefined) return;
    const current =
      this.placements.get(alloc.NodeID)?.get(alloc.ID) ?? this.state.allocByID(alloc.ID);
    if (current !== undefined) usage.put(current);
  }

  /** Stages a new allocation or an in-place update of an existing one. */
  appendAlloc(alloc: Allocation, isNew = false): void {
    put(this.placements, alloc);
    if (isNew) this.created.add(alloc.ID);
    this.usage.get(alloc.NodeID)?.put(alloc);
  }

  /** Replaces a staged stop or placement of the same allocation with `updated`. */
  swap(updated: Allocation): void {
    const stop = this.updates.get(updated.NodeID);
    if (stop?.has(updated.ID)) {
      stop.set(updated.ID, updated);
      return;
    }
    const place = this.placements.get(updated.NodeID);
    if (place?.has(updated.ID)) place.set(updated.ID, updated);
  }

  /** The staged stop of an allocation, if any. */
  stagedStop(alloc: Allocation): Allocation | undefined {
    return this.updates.get(alloc.NodeID)?.get(alloc.ID);
  }

  /** Whether the plan is staged to stop this allocation. */
  stops(alloc: Allocation): boolean {
    return this.updates.get(alloc.NodeID)?.has(alloc.ID) ?? false;
  }

  /** What `node` would hold with this plan applied. */
  usageOf(node: Node): NodeUsage {
    let usage = this.usage.get(node.ID);
    if (usage === undefined) {
      const { Namespace, JobID } = this.evaluation;
      usage = new NodeUsage(node, Namespace, JobID, nodeHoldings(this.state, node.ID));
      for (const alloc of this.updates.get(node.ID)?.values() ?? []) usage.remove(alloc.ID);
      for (const alloc of this.placements.get(node.ID)?.values() ?? []) usage.put(alloc);
      this.usage.set(node.ID, usage);
    }
    return usage;
  }

  /** Nothing to stop and nothing to place. */
  isNoOp(): boolean {
    for (const m of this.updates.values()) if (m.size > 0) return false;
    for (const m of this.placements.values()) if (m.size > 0) return false;
    return true;
  }

  /** The plan to submit. */
  build(): Plan {
    return {
      evalID: this.evaluation.ID,
      priority: this.evaluation.Priority,
      job: this.job,
      nodeUpdate: toArrays(this.updates),
      nodeAllocation: toArrays(this.placements),
      allAtOnce: this.job?.AllAtOnce ?? false,
    };
  }
}
