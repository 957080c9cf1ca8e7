// Job.Evaluations (nomad/job_endpoint.go): every evaluation of a job, as a blocking query.
import type { Evaluation } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';
import { evalView } from '../evaluations/views.js';

export interface JobEvaluationsRequest {
  token: string;
  namespace: string;
  jobID: string;
  blocking: BlockingOptions;
}

export interface JobEvaluationsResponse {
  evaluations: Evaluation[];
  /** The evals table's index, as Nomad answers. */
  index: number;
}

export async function jobEvaluations(
  ctx: EndpointContext,
  request: JobEvaluationsRequest,
): Promise<JobEvaluationsResponse> {
  return blockingQuery(ctx.store, request.blocking, (ws) => {
    // Authorised first, and again on every run: a revoked token stops seeing changes.
    const identity = ctx.acl.resolve(request.token, ws);
    if (!identity.allows(request.namespace, 'read-job')) throw forbidden();
    const evaluations = ctx.store
      .evalsByJob(request.namespace, request.jobID, ws)
      // As a read answers them: every field, never the leader's token.
      .map(evalView);
    return { evaluations, index: ctx.store.tableIndex('evals') };
  });
}
