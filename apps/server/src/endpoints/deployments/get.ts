// Deployment.GetDeployment (nomad/deployment_endpoint.go): one deployment by its full ID, as a
// blocking query. berth has none (see none.ts): every ID is unknown.
import type { Deployment } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
import { badRequest, forbidden } from '../endpoint-error.js';
import { DEPLOYMENTS_INDEX } from './none.js';

export interface GetDeploymentRequest {
  token: string;
  namespace: string;
  deploymentID: string;
  blocking: BlockingOptions;
}

export interface GetDeploymentResponse {
  /** The deployment, or `undefined` when there is none with this ID. */
  deployment: Deployment | undefined;
  /** The deployment table's index. */
  index: number;
}

export async function getDeployment(
  ctx: EndpointContext,
  request: GetDeploymentRequest,
): Promise<GetDeploymentResponse> {
  return blockingQuery(ctx.store, request.blocking, (ws) => {
    // Authorised first, and again on every run: a revoked token stops waiting with its 403.
    const identity = ctx.acl.resolve(request.token, ws);
    if (!identity.allows(request.namespace, 'read-job')) throw forbidden();
    // Nomad: 500 `missing deployment ID`; a caller's mistake, so 400 here.
    if (request.deploymentID === '') throw badRequest('missing deployment ID');
    return { deployment: undefined, index: DEPLOYMENTS_INDEX };
  });
}
