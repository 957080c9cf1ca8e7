// Eval.GetEval (nomad/eval_endpoint.go): one evaluation by ID, optionally with the stubs of the
// evaluations linked to it (`related`), as a blocking query.
import type { Evaluation, EvaluationStub } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { StateStore, WatchSet } from '../../state/index.js';
import type { EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';
import { wireTime } from '../stored-defaults.js';
import { findEval } from './lookup.js';
import { evalView } from './views.js';

export interface GetEvaluationRequest {
  token: string;
  evalID: string;
  /** Fill `RelatedEvals` (Nomad's `related=true`). */
  related: boolean;
  blocking: BlockingOptions;
}

export interface GetEvaluationResponse {
  /** The read body, or `undefined` when no such evaluation exists. */
  evaluation: Evaluation | undefined;
  /** The evaluation's ModifyIndex, or the evals table's index when it is missing. */
  index: number;
}

export async function getEvaluation(
  ctx: EndpointContext,
  request: GetEvaluationRequest,
): Promise<GetEvaluationResponse> {
  const result = await blockingQuery(ctx.store, request.blocking, (ws) => {
    // Authenticated first, and again on every run: a revoked token stops seeing changes.
    const identity = ctx.acl.resolve(request.token, ws);
    const e = findEval(ctx, request.evalID, ws);
    if (e === undefined) return { evaluation: undefined, index: ctx.store.tableIndex('evals') };
    if (!identity.allows(e.Namespace, 'read-job')) throw forbidden();
    const view = evalView(e);
    return {
      evaluation: request.related
        ? { ...view, RelatedEvals: relatedEvals(ctx.store, e, ws) }
        : view,
      index: e.ModifyIndex,
    };
  });
  return result;
}

/**
 * Nomad's EvalsRelatedToID: every evaluation reachable through NextEval, PreviousEval and
 * BlockedEval links (in both directions), as stubs, the evaluation itself excluded.
 */
function relatedEvals(store: StateStore, start: Evaluation, ws: WatchSet): EvaluationStub[] {
  const seen = new Map<string, Evaluation>([[start.ID, start]]);
  const queue = [start];
  const visit = (id: string) => {
    if (id === '' || seen.has(id)) return;
    const e = store.evalByID(id, ws);
    if (e === undefined) return;
    seen.set(id, e);
    queue.push(e);
  };
  for (let e = queue.shift(); e !== undefined; e = queue.shift()) {
    visit(e.NextEval);
    visit(e.PreviousEval);
    visit(e.BlockedEval);
    // Links point one way: those pointing at this evaluation are found among its job's.
    for (const other of store.evalsByJob(e.Namespace, e.JobID, ws)) {
      if (other.NextEval === e.ID || other.PreviousEval === e.ID || other.BlockedEval === e.ID) {
        visit(other.ID);
      }
    }
  }
  seen.delete(start.ID);
  return [...seen.values()]
    .sort((a, b) => a.CreateIndex - b.CreateIndex || (a.ID < b.ID ? -1 : 1))
    .map(stub);
}

function stub(e: Evaluation): EvaluationStub {
  return {
    ID: e.ID,
    Namespace: e.Namespace,
    Priority: e.Priority,
    Type: e.Type,
    TriggeredBy: e.TriggeredBy,
    JobID: e.JobID,
    NodeID: e.NodeID,
    DeploymentID: e.DeploymentID,
    Status: e.Status,
    StatusDescription: e.StatusDescription,
    WaitUntil: wireTime(e.WaitUntil),
    NextEval: e.NextEval,
    PreviousEval: e.PreviousEval,
    BlockedEval: e.BlockedEval,
    CreateIndex: e.CreateIndex,
    ModifyIndex: e.ModifyIndex,
    CreateTime: e.CreateTime,
    ModifyTime: e.ModifyTime,
  };
}
