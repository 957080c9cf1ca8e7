// The checks signal and restart share before anything reaches a node agent, in Nomad's order:
// authenticate, look the allocation up, authorise in its namespace, find its node.
import { unknownAllocation, unknownNode, type Allocation, type Node } from '@berth/contract';
import type { EndpointContext } from '../context.js';
import { forbidden, notFound } from '../endpoint-error.js';
import { findAlloc } from './lookup.js';

export interface LifecycleTarget {
  alloc: Allocation;
  node: Node;
}

export function lifecycleTarget(
  ctx: EndpointContext,
  token: string,
  allocID: string,
): LifecycleTarget {
  const identity = ctx.acl.resolve(token);
  const alloc = findAlloc(ctx, allocID);
  if (!alloc) throw notFound(unknownAllocation(allocID));
  if (!identity.allows(alloc.Namespace, 'alloc-lifecycle')) throw forbidden();
  const node = ctx.store.nodeByID(alloc.NodeID);
  if (!node) throw notFound(unknownNode(alloc.NodeID));
  return { alloc, node };
}

/** The names of the tasks in the allocation's task group, from the job it was placed from. */
export function groupTaskNames(alloc: Allocation): string[] {
  const group = alloc.Job?.TaskGroups?.find((g) => g.Name === alloc.TaskGroup);
  return group?.Tasks?.map((t) => t.Name) ?? [];
}
