// Nomad's readyNodesInDCsAndPool (scheduler/util.go): the nodes a job may be placed on — ready,
// eligible, not draining, in one of the job's datacenters (glob patterns) and in its node pool.
import type { Node } from '@berth/contract';

import { globMatch } from './glob.js';

/** The pool that matches every node. */
export const NODE_POOL_ALL = 'all';
/** The pool of a node or job that names none. */
export const NODE_POOL_DEFAULT = 'default';

/** Nomad's Node.Ready: ready, eligible and not draining. */
export function nodeReady(node: Node): boolean {
  return node.Status === 'ready' && !node.Drain && node.SchedulingEligibility === 'eligible';
}

/** Whether the node's datacenter matches one of the patterns. */
export function nodeInAnyDC(node: Node, datacenters: readonly string[] | null): boolean {
  for (const dc of datacenters ?? []) if (globMatch(dc, node.Datacenter)) return true;
  return false;
}

/** Whether the node is in the pool (`all` matches every node, empty means `default`). */
export function nodeInPool(node: Node, pool: string): boolean {
  if (pool === NODE_POOL_ALL) return true;
  return (node.NodePool || NODE_POOL_DEFAULT) === (pool || NODE_POOL_DEFAULT);
}

export interface ReadyNodes {
  nodes: Node[];
  /** Ready nodes per datacenter (an allocation's `NodesAvailable`). */
  byDC: Record<string, number>;
}

/** The ready nodes of the job's datacenters and pool, in the order `all` gives them. */
export function readyNodesInDCsAndPool(
  all: readonly Node[],
  datacenters: readonly string[] | null,
  pool: string,
): ReadyNodes {
  const nodes: Node[] = [];
  const byDC: Record<string, number> = {};
  for (const node of all) {
    if (!nodeReady(node) || !nodeInPool(node, pool) || !nodeInAnyDC(node, datacenters)) continue;
    nodes.push(node);
    byDC[node.Datacenter] = (byDC[node.Datacenter] ?? 0) + 1;
  }
  return { nodes, byDC };
}
