// The deployments API of the client (Nomad's Go api `Deployments()`, read side).
import {
  contract,
  DeploymentSchema,
  type Deployment,
  type QueryOptionsSchema,
} from '@berth/contract';
import type { z } from 'zod';
import { enc, type ApiResponse, type Call, type CallOptions } from './call.js';

/** Query of `deployments.list` and `deployments.info`: the shared read options. */
export type DeploymentQuery = z.input<typeof QueryOptionsSchema>;

/** The deployments API. */
export interface DeploymentsApi {
  /** `GET /v1/deployments`: deployments of a namespace (`*` for all); `index`+`wait` block. */
  list(query?: DeploymentQuery, opts?: CallOptions): Promise<ApiResponse<Deployment[]>>;
  /** `GET /v1/deployment/:id`: one deployment by full ID. */
  info(id: string, query?: DeploymentQuery, opts?: CallOptions): Promise<ApiResponse<Deployment>>;
}

/** The deployments API over the shared call steps. */
export function createDeploymentsApi(call: Call): DeploymentsApi {
  const api = call.api.deployments;
  return {
    async list(query, opts) {
      const res = await api.list({
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, contract.deployments.list.responses[200], 'GET', '/v1/deployments');
    },
    async info(id, query, opts) {
      const res = await api.info({
        params: { deploymentID: enc(id) },
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, DeploymentSchema, 'GET', `/v1/deployment/${id}`);
    },
  };
}
