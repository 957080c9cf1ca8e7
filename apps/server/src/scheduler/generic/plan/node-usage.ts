// What one node would hold if the plan being built were applied (Nomad's EvalContext
// ProposedAllocs, kept as running totals): started from the node's holdings (node-holdings.ts),
// then updated as the plan changes, so ranking a node costs O(1) whatever it runs. Only the
// allocations of the job being scheduled are tracked one by one: only they are stopped, placed
// or updated by its plan, and only they count for anti-affinity and distinct_hosts.
import type { Allocation, Node } from '@berth/contract';

import { allocUsage, holdsResources, nodeCapacity, type ResourceAmounts } from '../../capacity.js';
import type { NodeHoldings } from './node-holdings.js';

export class NodeUsage {
  cpu: number;
  memoryMB: number;
  diskMB: number;
  /** What the node offers: NodeResources minus ReservedResources. */
  readonly capacity: ResourceAmounts;
  /** The allocations counted one by one: the job's, and any other put here. */
  private readonly counted = new Map<string, Allocation>();
  private readonly groups = new Map<string, number>();
  private jobAllocs = 0;

  constructor(
    readonly node: Node,
    private readonly namespace: string,
    private readonly jobID: string,
    private readonly base: NodeHoldings,
  ) {
    this.capacity = nodeCapacity(node);
    this.cpu = base.cpu;
    this.memoryMB = base.memoryMB;
    this.diskMB = base.diskMB;
    for (const a of base.ofJob(namespace, jobID)) {
      this.counted.set(a.ID, a);
      this.count(a, 1);
    }
  }

  private ofJob(a: Allocation): boolean {
    return a.JobID === this.jobID && a.Namespace === this.namespace;
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
    let old = this.counted.get(id);
    if (old === undefined) {
      // Another job's allocation from the holdings: counted in the totals only.
      old = this.base.allocs.find((a) => a.ID === id && !this.ofJob(a));
      if (old === undefined) return;
      this.counted.set(id, old);
    }
    this.counted.delete(id);
    this.apply(old, -1);
  }

  private apply(alloc: Allocation, sign: 1 | -1): void {
    const u = allocUsage(alloc);
    this.cpu += sign * u.cpu;
    this.memoryMB += sign * u.memoryMB;
    this.diskMB += sign * u.diskMB;
    this.count(alloc, sign);
  }

  private count(alloc: Allocation, sign: 1 | -1): void {
    if (!this.ofJob(alloc)) return;
    this.groups.set(alloc.TaskGroup, (this.groups.get(alloc.TaskGroup) ?? 0) + sign);
    this.jobAllocs += sign;
  }

  /** Allocations of the job's group `group` counted on the node. */
  groupCount(group: string): number {
    return this.groups.get(group) ?? 0;
  }

  /** Allocations of the job (any group) counted on the node. */
  jobCount(): number {
    return this.jobAllocs;
  }
}
