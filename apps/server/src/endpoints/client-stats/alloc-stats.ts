// ClientAllocations.Stats (nomad/client_alloc_endpoint.go): an allocation's resource usage, asked
// of the node agent that runs it. Checked here before anything is forwarded, in Nomad's order:
// authenticate (403) → the allocation (404) → read-job in its namespace (403) → its node (404).
import { unknownAllocation, unknownNode, type AllocResourceUsage } from '@berth/contract';
import type { ClientStatsRpc } from '../../nodes/client-stats-rpc.js';
import type { EndpointContext } from '../context.js';
import { forbidden, notFound } from '../endpoint-error.js';
import { findAlloc } from '../allocations/lookup.js';

export interface AllocStatsRequest {
  token: string;
  allocID: string;
  /** One task, or '' for every task. */
  task: string;
}

export async function allocationStats(
  ctx: EndpointContext,
  rpc: ClientStatsRpc,
  request: AllocStatsRequest,
): Promise<AllocResourceUsage> {
  const identity = ctx.acl.resolve(request.token);
  const alloc = findAlloc(ctx, request.allocID);
  if (!alloc) throw notFound(unknownAllocation(request.allocID));
  if (!identity.allows(alloc.Namespace, 'read-job')) throw forbidden();
  const node = ctx.store.nodeByID(alloc.NodeID);
  if (!node) throw notFound(unknownNode(alloc.NodeID));
  return rpc.allocation(node, alloc.ID, request.task);
}
