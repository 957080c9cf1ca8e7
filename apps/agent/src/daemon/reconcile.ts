// Nomad's client runAllocs / diffAllocs (client/client.go): what to do with each allocation the
// servers list for this node, given the runners the agent already has.
import type { Allocation } from '@berth/contract';

export interface AllocDiff {
  /** New allocations that should run. */
  added: Allocation[];
  /** Allocations with a runner whose server-side version changed. */
  updated: Allocation[];
  /** Runners whose allocation the servers no longer list for this node. */
  removed: string[];
}

const CLIENT_TERMINAL = new Set(['complete', 'failed', 'lost']);

/** True when the servers want the allocation stopped. */
export function serverTerminal(alloc: Allocation): boolean {
  return alloc.DesiredStatus === 'stop' || alloc.DesiredStatus === 'evict';
}

/** True when the allocation has already finished on a client. */
export function clientTerminal(alloc: Allocation): boolean {
  return CLIENT_TERMINAL.has(alloc.ClientStatus);
}

/**
 * Compares the servers' allocations with the known ones (ID → AllocModifyIndex last seen). A new
 * allocation that is already stopped or finished gets no runner.
 */
export function diffAllocs(
  allocs: readonly Allocation[],
  known: ReadonlyMap<string, number>,
): AllocDiff {
  const diff: AllocDiff = { added: [], updated: [], removed: [] };
  const listed = new Set<string>();
  for (const alloc of allocs) {
    listed.add(alloc.ID);
    const seen = known.get(alloc.ID);
    if (seen === undefined) {
      if (!serverTerminal(alloc) && !clientTerminal(alloc)) diff.added.push(alloc);
    } else if (alloc.AllocModifyIndex > seen) {
      diff.updated.push(alloc);
    }
  }
  for (const id of known.keys()) if (!listed.has(id)) diff.removed.push(id);
  return diff;
}
