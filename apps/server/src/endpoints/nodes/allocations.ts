// Node.GetAllocs (nomad/node_endpoint.go): the complete allocations placed on a node (those the
// caller may read), as a blocking query whose index is the newest of them.
import type { Allocation } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import { allocReadView } from '../allocations/views.js';
import { mayReadAlloc } from '../../acl/acl.js';
import type { EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';
import { page, WHOLE_LIST } from '../pagination.js';
import { exactAllocId, UuidFormatError } from '../uuid-lookup.js';

export interface NodeAllocationsRequest {
  token: string;
  nodeID: string;
  blocking: BlockingOptions;
}

export interface NodeAllocationsResponse {
  allocs: Allocation[];
  /** The greatest ModifyIndex of the node's allocations, or the allocs table's index if none. */
  index: number;
}

export async function nodeAllocations(
  ctx: EndpointContext,
  request: NodeAllocationsRequest,
): Promise<NodeAllocationsResponse> {
  // Nomad reads the node index without parsing the ID: a malformed ID has no allocations.
  let nodeID = request.nodeID;
  try {
    nodeID = exactAllocId(request.nodeID) ?? request.nodeID;
  } catch (error) {
    if (!(error instanceof UuidFormatError)) throw error;
  }
  // A snapshot from the blocking query; the read views are then built in time slices.
  const snapshot = await blockingQuery(ctx.store, request.blocking, (ws) => {
    // Authorised first, and again on every run: a revoked or narrowed token stops seeing changes.
    const identity = ctx.acl.resolve(request.token, ws);
    // node:read, or the node's own agent asking for what is placed on it.
    const mayRead =
      identity.nodeID === undefined ? identity.allowsNodeRead() : identity.nodeID === nodeID;
    if (!mayRead) throw forbidden();
    const stored = ctx.store.allocsByNode(nodeID, ws);
    if (stored.length === 0) return { identity, stored, index: ctx.store.tableIndex('allocs') };
    // Unreadable allocations are left out, but still count for the index (as in Nomad).
    let index = 0;
    for (const a of stored) index = Math.max(index, a.ModifyIndex);
    return { identity, stored, index };
  });
  const { identity } = snapshot;
  const { items } = await page(snapshot.stored, {
    ...WHOLE_LIST,
    keep: (a) => mayReadAlloc(identity, a),
    view: (a): Allocation => allocReadView(a),
    filterLimitMs: ctx.listFilterLimitMs,
  });
  return { allocs: items, index: snapshot.index };
}
