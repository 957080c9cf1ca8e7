// Eval.Allocations (nomad/eval_endpoint.go): stubs of the allocations an evaluation created or
// updated, as a blocking query on the allocs table.
import type { AllocListStub } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import { allocStub } from '../allocations/views.js';
import type { EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';
import { page, WHOLE_LIST } from '../pagination.js';
import { exactAllocId, UuidFormatError } from '../uuid-lookup.js';

export interface EvaluationAllocationsRequest {
  token: string;
  /** The namespace the request names (its allocations' own is checked too). */
  namespace: string;
  evalID: string;
  blocking: BlockingOptions;
}

export interface EvaluationAllocationsResponse {
  stubs: AllocListStub[];
  /** The index of the last write to the allocs table. */
  index: number;
}

export async function evaluationAllocations(
  ctx: EndpointContext,
  request: EvaluationAllocationsRequest,
): Promise<EvaluationAllocationsResponse> {
  // Nomad looks allocations up by the EvalID index without parsing the ID: a malformed ID simply
  // has no allocations.
  let evalID = request.evalID;
  try {
    evalID = exactAllocId(request.evalID) ?? request.evalID;
  } catch (error) {
    if (!(error instanceof UuidFormatError)) throw error;
  }
  // A snapshot from the blocking query; the stubs are then built in time slices.
  const snapshot = await blockingQuery(ctx.store, request.blocking, (ws) => {
    // Authorised first, and again on every run: a revoked token stops seeing changes.
    const identity = ctx.acl.resolve(request.token, ws);
    if (!identity.allows(request.namespace, 'read-job')) throw forbidden();
    const allocs = ctx.store.allocsByEval(evalID, ws);
    const ns = allocs[0]?.Namespace;
    if (ns !== undefined && ns !== request.namespace && !identity.allows(ns, 'read-job')) {
      throw forbidden();
    }
    return { allocs, index: ctx.store.tableIndex('allocs') };
  });
  const { items } = await page(snapshot.allocs, {
    ...WHOLE_LIST,
    view: (a): AllocListStub => allocStub(a, { resources: false, taskStates: true }),
    filterLimitMs: ctx.listFilterLimitMs,
  });
  return { stubs: items, index: snapshot.index };
}
