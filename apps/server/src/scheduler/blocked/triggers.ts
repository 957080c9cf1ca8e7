// What frees room for a blocked evaluation (the FSM's calls to Nomad's BlockedEvals.Unblock): a
// node that becomes usable or changes what it offers, and an allocation that stops holding room.
import type { Allocation, Node } from '@berth/contract';
import type { ObjectChange } from '../../state/table.js';
import { terminal } from '../planner/alloc-status.js';

function usable(n: Node): boolean {
  return n.Status === 'ready' && n.SchedulingEligibility === 'eligible';
}

/** What of a node feasibility and capacity depend on. */
function offer(n: Node): string {
  return JSON.stringify([
    n.Datacenter,
    n.NodeClass,
    n.NodePool,
    n.Attributes,
    n.Meta,
    n.Drivers,
    n.NodeResources,
    n.ReservedResources,
  ]);
}

/** A node registered ready, became ready or eligible, or changed what it offers while usable. */
export function nodeFreesRoom({ before, after }: ObjectChange<Node>): boolean {
  if (after === undefined || !usable(after)) return false;
  if (before === undefined || !usable(before)) return true;
  return offer(before) !== offer(after);
}

/** A non-terminal allocation became terminal (stop/evict, complete/failed/lost) or was deleted. */
export function allocFreesRoom({ before, after }: ObjectChange<Allocation>): boolean {
  if (before === undefined || terminal(before)) return false;
  return after === undefined || terminal(after);
}
