// What one node would hold if the plan being built were applied (Nomad's EvalContext
// ProposedAllocs, kept as running totals): computed once per node and evaluation, then updated
// as the plan changes, so ranking a node costs O(1) whatever it runs.
import type { Allocation, Node } from '@berth/contract';

import { allocUsage, holdsResources, nodeCapacity, type ResourceAmounts } from '../../capacity.js';

function groupKey(namespace: string, jobID: string, group: string): string {
  return `${namespace}\u0000${jobID}\u0000${group}`;
}

function jobKey(namespace: string, jobID: string): string {
  return `${namespace}\u0000${jobID}`;
}

export class NodeUsage {
  cpu = 0;
  memoryMB = 0;
  diskMB = 0;
  /** What the node offers: NodeResources minus ReservedResources. */
  readonly capacity: ResourceAmounts;
  private readonly counted = new Map<string, Allocation>();
  private readonly groups = new Map<string, number>();
  private readonly jobs = new Map<string, number>();

  constructor(readonly node: Node) {
    this.capacity = nodeCapacity(node);
  }

  /** Counts `alloc` (replacing an earlier version of it); terminal ones hold nothing. */
  put(alloc: Allocation): void {
    this.remove(alloc.ID);
    if (!holdsResources(alloc)) return;
    this.counted.set(alloc.ID, alloc);
    this.apply(alloc, 1);
  }

  /** Stops counting the allocation with this ID. */
  remove(id: string): void {
    const old = this.counted.get(id);
    if (old === undefined) return;
    this.counted.delete(id);
    this.apply(old, -1);
  }

  private apply(alloc: Allocation, sign: 1 | -1): void {
    const u = allocUsage(alloc);
    this.cpu += sign * u.cpu;
    this.memoryMB += sign * u.memoryMB;
    this.diskMB += sign * u.diskMB;
    const g = groupKey(alloc.Namespace, alloc.JobID, alloc.TaskGroup);
    this.groups.set(g, (this.groups.get(g) ?? 0) + sign);
    const j = jobKey(alloc.Namespace, alloc.JobID);
    this.jobs.set(j, (this.jobs.get(j) ?? 0) + sign);
  }

  /** Allocations of this job's group counted on the node. */
  groupCount(namespace: string, jobID: string, group: string): number {
    return this.groups.get(groupKey(namespace, jobID, group)) ?? 0;
  }

  /** Allocations of this job (any group) counted on the node. */
  jobCount(namespace: string, jobID: string): number {
    return this.jobs.get(jobKey(namespace, jobID)) ?? 0;
  }
}
