// Job.GetJob (nomad/job_endpoint.go): the current version of one job, as a blocking query.
import type { Job } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';
import { jobView } from './views.js';

export interface GetJobRequest {
  token: string;
  namespace: string;
  jobID: string;
  blocking: BlockingOptions;
}

export interface GetJobResponse {
  /** The job with its current Status, or `undefined` when it does not exist. */
  job: Job | undefined;
  /** The newest write to the job, its allocations or evaluations; the jobs table's when missing. */
  index: number;
}

export async function getJob(
  ctx: EndpointContext,
  request: GetJobRequest,
): Promise<GetJobResponse> {
  return blockingQuery(ctx.store, request.blocking, (ws) => {
    // Authorised first, and again on every run: a revoked token stops seeing changes.
    const identity = ctx.acl.resolve(request.token, ws);
    if (!identity.allows(request.namespace, 'read-job')) throw forbidden();
    const job = ctx.store.jobByID(request.namespace, request.jobID, ws);
    if (!job) return { job: undefined, index: ctx.store.tableIndex('jobs') };
    const view = jobView(ctx.store, job, ws);
    return { job: view.job, index: view.index };
  });
}
