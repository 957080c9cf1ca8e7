// Alloc.GetAlloc (nomad/alloc_endpoint.go): one allocation by ID, as a blocking query.
import type { Allocation } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import { mayReadAlloc } from '../../acl/acl.js';
import type { EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';
import { findAlloc } from './lookup.js';
import { allocReadView } from './views.js';

export interface GetAllocationRequest {
  token: string;
  allocID: string;
  blocking: BlockingOptions;
}

export interface GetAllocationResponse {
  /** The read body, or `undefined` when no such allocation exists. */
  alloc: Allocation | undefined;
  /** The allocation's ModifyIndex, or the allocs table's index when it is missing. */
  index: number;
}

export async function getAllocation(
  ctx: EndpointContext,
  request: GetAllocationRequest,
): Promise<GetAllocationResponse> {
  const result = await blockingQuery(ctx.store, request.blocking, (ws) => {
    // Authenticated first, and again on every run: a revoked token stops seeing changes.
    const identity = ctx.acl.resolve(request.token, ws);
    const alloc = findAlloc(ctx, request.allocID, ws);
    if (!alloc) return { alloc: undefined, index: ctx.store.tableIndex('allocs') };
    // Berth answers 403 where Nomad reports an unreadable allocation as unknown with a 500.
    if (!mayReadAlloc(identity, alloc)) throw forbidden();
    return { alloc, index: alloc.ModifyIndex };
  });
  return { alloc: result.alloc && allocReadView(result.alloc), index: result.index };
}
