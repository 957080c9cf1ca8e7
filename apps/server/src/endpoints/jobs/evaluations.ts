// Job.Evaluations (nomad/job_endpoint.go): every evaluation of a job, as a blocking query.
import type { Evaluation } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';

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
  const identity = ctx.acl.resolve(request.token);
  if (!identity.allows(request.namespace, 'read-job')) throw forbidden();
  return blockingQuery(ctx.store, request.blocking, (ws) => {
    const evaluations = ctx.store
      .evalsByJob(request.namespace, request.jobID, ws)
      // The leader's token is internal to the servers.
      .map((e) => (e.LeaderACL === '' ? e : { ...e, LeaderACL: '' }));
    return { evaluations, index: ctx.store.tableIndex('evals') };
  });
}
