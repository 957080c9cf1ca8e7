// Nomad's AllocsFit (nomad/structs/funcs.go), in the dimensions berth schedules on: whether a
// node's CPU, memory and disk, less what it reserves, hold a set of allocations. What counts and
// how much is ../capacity.ts, shared with the scheduler's ranking.
import type { Allocation, Node } from '@berth/contract';
import { exhausted, nodeCapacity, sumUsage, type Dimension } from '../capacity.js';

/**
 * Whether `allocs` fit on `node` together; when not, the exhausted dimension (`cpu`, `memory`,
 * `disk`), as Nomad names it. Allocations stopped or finished hold nothing.
 */
export function allocsFit(
  node: Node,
  allocs: Iterable<Allocation>,
): { fit: true } | { fit: false; dimension: Dimension } {
  const { cpu, memoryMB, diskMB } = sumUsage(allocs);
  const dimension = exhausted(cpu, memoryMB, diskMB, nodeCapacity(node));
  return dimension === undefined ? { fit: true } : { fit: false, dimension };
}
