// What holds room on a node and how much (Nomad's TerminalStatus, AllocsFit and
// ComparableResources, nomad/structs/funcs.go): the one definition shared by the generic
// scheduler's proposed usage (ranking, in-place checks) and the plan applier's re-check, so that
// the two never disagree on whether a node is full.
import type { Allocation, Node } from '@berth/contract';
import { terminal } from './generic/alloc/status.js';

/** Amounts in the dimensions berth schedules on. */
export interface ResourceAmounts {
  cpu: number;
  memoryMB: number;
  diskMB: number;
}

/**
 * Whether an allocation counts against its node. Not once the servers want it stopped
 * (DesiredStatus `stop`/`evict`) nor once its client finished it (complete, failed, lost), as
 * Nomad's plan applier reads a node's non-terminal allocations only: an agent never starts an
 * allocation that is already stopped, so one still `pending` would otherwise hold room forever.
 */
export function holdsResources(a: Allocation): boolean {
  return !terminal(a);
}

/** Allocations are immutable: each one's amounts are summed once. */
const usageCache = new WeakMap<Allocation, ResourceAmounts>();

/** What an allocation is given: the sum of its tasks' AllocatedResources, else legacy Resources. */
export function allocUsage(a: Allocation): ResourceAmounts {
  let usage = usageCache.get(a);
  if (usage !== undefined) return usage;
  const allocated = a.AllocatedResources;
  if (allocated !== null) {
    let cpu = 0;
    let memoryMB = 0;
    for (const t of Object.values(allocated.Tasks ?? {})) {
      cpu += t.Cpu.CpuShares;
      memoryMB += t.Memory.MemoryMB;
    }
    usage = { cpu, memoryMB, diskMB: allocated.Shared.DiskMB };
  } else {
    const r = a.Resources;
    usage = { cpu: r?.CPU ?? 0, memoryMB: r?.MemoryMB ?? 0, diskMB: r?.DiskMB ?? 0 };
  }
  usageCache.set(a, usage);
  return usage;
}

/** What the allocations among `allocs` that hold room hold together. */
export function sumUsage(allocs: Iterable<Allocation>): ResourceAmounts {
  const sum = { cpu: 0, memoryMB: 0, diskMB: 0 };
  for (const a of allocs) {
    if (!holdsResources(a)) continue;
    const u = allocUsage(a);
    sum.cpu += u.cpu;
    sum.memoryMB += u.memoryMB;
    sum.diskMB += u.diskMB;
  }
  return sum;
}

/** What a node offers allocations: its resources less its reserved resources. */
export function nodeCapacity(node: Node): ResourceAmounts {
  const res = node.NodeResources;
  const reserved = node.ReservedResources;
  return {
    cpu: (res?.Cpu.CpuShares ?? 0) - (reserved?.Cpu.CpuShares ?? 0),
    memoryMB: (res?.Memory.MemoryMB ?? 0) - (reserved?.Memory.MemoryMB ?? 0),
    diskMB: (res?.Disk.DiskMB ?? 0) - (reserved?.Disk.DiskMB ?? 0),
  };
}

/** The dimension Nomad names when a node is exhausted. */
export type Dimension = 'cpu' | 'memory' | 'disk';

/**
 * The first dimension in which `cpu`/`memoryMB`/`diskMB` exceed `capacity`, or undefined if they
 * fit. A node that reports no disk is not checked for it (agents may not fingerprint disk).
 */
export function exhausted(
  cpu: number,
  memoryMB: number,
  diskMB: number,
  capacity: ResourceAmounts,
): Dimension | undefined {
  if (cpu > capacity.cpu) return 'cpu';
  if (memoryMB > capacity.memoryMB) return 'memory';
  if (capacity.diskMB > 0 && diskMB > capacity.diskMB) return 'disk';
  return undefined;
}
