// Node.GetClientAllocs and Node.UpdateAlloc as a node agent calls them (nomad/node_endpoint.go):
// the agent long-polls its node's allocations and reports what became of them. Both are
// authenticated by the node's secret; a node sees and updates only its own allocations.
import type { Allocation, ClientAllocUpdate } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import { allocReadView } from '../allocations/views.js';
import type { EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';
import { authenticateNode } from './node-auth.js';
import { updateAllocsFromClient } from './update-allocs.js';

export interface ClientAllocationsRequest {
  /** The caller's token: the node's SecretID. */
  token: string;
  nodeID: string;
  blocking: BlockingOptions;
}

export interface ClientAllocationsResponse {
  /** Every allocation placed on the node, complete (its `Job` included). */
  allocs: Allocation[];
  /**
   * The newest AllocModifyIndex among them (the allocs table's index, at least 1, if none): only what the
   * servers change wakes the agent, not its own reports.
   */
  index: number;
}

export async function clientAllocations(
  ctx: EndpointContext,
  request: ClientAllocationsRequest,
): Promise<ClientAllocationsResponse> {
  const node = authenticateNode(ctx, request.nodeID, request.token);
  return blockingQuery(ctx.store, request.blocking, (ws) => {
    const stored = ctx.store.allocsByNode(node.ID, ws);
    // Never 0, which would not block (as Nomad, which answers at least index 1).
    if (stored.length === 0)
      return { allocs: [], index: Math.max(1, ctx.store.tableIndex('allocs')) };
    let index = 0;
    for (const a of stored) index = Math.max(index, a.AllocModifyIndex);
    return { allocs: stored.map(allocReadView), index };
  });
}

export interface UpdateClientAllocsRequest {
  /** The caller's token: the node's SecretID. */
  token: string;
  nodeID: string;
  allocs: readonly ClientAllocUpdate[];
}

/**
 * Records the node's reports. An update naming another node, or an allocation placed on another
 * node, is refused (403) and nothing is written; unknown allocations are ignored, as in Nomad.
 */
export async function updateClientAllocations(
  ctx: EndpointContext,
  request: UpdateClientAllocsRequest,
): Promise<{ index: number; evalIDs: string[] }> {
  const node = authenticateNode(ctx, request.nodeID, request.token);
  const updates = request.allocs.map((update) => {
    if (update.NodeID !== '' && update.NodeID !== node.ID) throw forbidden();
    const stored = ctx.store.allocByID(update.ID);
    if (stored !== undefined && stored.NodeID !== node.ID) throw forbidden();
    return { ...update, NodeID: node.ID };
  });
  return updateAllocsFromClient(ctx, updates);
}
