// Job.Deployments and Job.LatestDeployment (nomad/job_endpoint.go): a job's deployments, as
// blocking queries. Nomad does not look the job up: an unknown job simply has none. berth makes
// no deployments (see ../deployments/none.ts), so every job has none.
import type { Deployment } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
import { DEPLOYMENTS_INDEX } from '../deployments/none.js';
import { forbidden } from '../endpoint-error.js';

export interface JobDeploymentsRequest {
  token: string;
  namespace: string;
  jobID: string;
  blocking: BlockingOptions;
}

export interface JobDeploymentsResponse {
  /** Newest first. */
  deployments: Deployment[];
  /** The deployment table's index, as Nomad answers. */
  index: number;
}

/** Every deployment of the job (the newest is Job.LatestDeployment's answer). */
export async function jobDeployments(
  ctx: EndpointContext,
  request: JobDeploymentsRequest,
): Promise<JobDeploymentsResponse> {
  return blockingQuery(ctx.store, request.blocking, (ws) => {
    // Authorised on every run: a revoked token stops waiting with its 403.
    const identity = ctx.acl.resolve(request.token, ws);
    if (!identity.allows(request.namespace, 'read-job')) throw forbidden();
    return { deployments: [], index: DEPLOYMENTS_INDEX };
  });
}
