// Deployment.List (nomad/deployment_endpoint.go): deployments of a namespace (or all, with `*`),
// filtered and paginated, as a blocking query. berth has none (see none.ts), so the list is empty
// once the caller is authorised and the filter expression is valid, as Nomad's would be.
import type { Deployment } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
import { compileFilter } from '../filter/filter.js';
import { namespaceAccess } from '../namespace-access.js';
import { DEPLOYMENTS_INDEX } from './none.js';

export interface ListDeploymentsRequest {
  token: string;
  /** A namespace, or `*` for every namespace the caller may read. */
  namespace: string;
  filter: string;
  blocking: BlockingOptions;
}

export interface ListDeploymentsResponse {
  deployments: Deployment[];
  /** The deployment table's index. */
  index: number;
  /** Where the next page starts ('' when this is the last). */
  nextToken: string;
}

export async function listDeployments(
  ctx: EndpointContext,
  request: ListDeploymentsRequest,
): Promise<ListDeploymentsResponse> {
  namespaceAccess(ctx.acl.resolve(request.token), request.namespace, 'read-job');
  // Nomad's paginator compiles the expression before it reads anything: a bad one is a 400 even
  // over an empty table.
  compileFilter(request.filter);
  return blockingQuery(ctx.store, request.blocking, (ws) => {
    // Authorised again on every run: a revoked or narrowed token ends the wait with its 403.
    namespaceAccess(ctx.acl.resolve(request.token, ws), request.namespace, 'read-job');
    return { deployments: [], index: DEPLOYMENTS_INDEX, nextToken: '' };
  });
}
