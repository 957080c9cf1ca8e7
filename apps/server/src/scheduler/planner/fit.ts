// Nomad's AllocsFit (nomad/structs/funcs.go), in the dimensions berth schedules on: whether a
// node's CPU and memory, less what it reserves, hold a set of allocations.
import type { Allocation, Node } from '@berth/contract';
import { clientTerminal } from './alloc-status.js';

export interface Usage {
  cpu: number;
  memoryMB: number;
}

/** What an allocation holds: the sum of its tasks' AllocatedResources, else its legacy Resources. */
export function allocUsage(a: Allocation): Usage {
  const allocated = a.AllocatedResources;
  if (allocated !== null) {
    let cpu = 0;
    let memoryMB = 0;
    for (const t of Object.values(allocated.Tasks ?? {})) {
      cpu += t.Cpu.CpuShares;
      memoryMB += t.Memory.MemoryMB;
    }
    return { cpu, memoryMB };
  }
  return { cpu: a.Resources?.CPU ?? 0, memoryMB: a.Resources?.MemoryMB ?? 0 };
}

/** What a node offers allocations: its resources less its reserved resources. */
export function nodeCapacity(node: Node): Usage {
  const res = node.NodeResources;
  const reserved = node.ReservedResources;
  return {
    cpu: (res?.Cpu.CpuShares ?? 0) - (reserved?.Cpu.CpuShares ?? 0),
    memoryMB: (res?.Memory.MemoryMB ?? 0) - (reserved?.Memory.MemoryMB ?? 0),
  };
}

/**
 * Whether `allocs` fit on `node` together; when not, the exhausted dimension (`cpu`, `memory`),
 * as Nomad names it. Allocations the client finished with hold nothing.
 */
export function allocsFit(
  node: Node,
  allocs: readonly Allocation[],
): { fit: true } | { fit: false; dimension: string } {
  let cpu = 0;
  let memoryMB = 0;
  for (const a of allocs) {
    if (clientTerminal(a)) continue;
    const u = allocUsage(a);
    cpu += u.cpu;
    memoryMB += u.memoryMB;
  }
  const capacity = nodeCapacity(node);
  if (cpu > capacity.cpu) return { fit: false, dimension: 'cpu' };
  if (memoryMB > capacity.memoryMB) return { fit: false, dimension: 'memory' };
  return { fit: true };
}
