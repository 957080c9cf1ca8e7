// Alloc.GetAlloc (nomad/alloc_endpoint.go): one allocation by ID, as a blocking query.
import type { Allocation } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
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
  const identity = ctx.acl.resolve(request.token);
  const result = await blockingQuery(ctx.store, request.blocking, (ws) => {
    const alloc = findAlloc(ctx, request.allocID, ws);
    if (!alloc) return { alloc: undefined, index: ctx.store.tableIndex('allocs') };
    // Berth answers 403 where Nomad reports an unreadable allocation as unknown with a 500.
    if (!identity.allows(alloc.Namespace, 'read-job')) throw forbidden();
    return { alloc, index: alloc.ModifyIndex };
  });
  return { alloc: result.alloc && allocReadView(result.alloc), index: result.index };
}
