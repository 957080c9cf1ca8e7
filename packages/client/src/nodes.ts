// The nodes API of the client, read side (Nomad's Go api `Nodes()`).
import {
  contract,
  NodeListSchema,
  NodeSchema,
  type Allocation,
  type Node,
  type NodeList,
  type NodeListQuerySchema,
  type QueryOptionsSchema,
} from '@berth/contract';
import type { z } from 'zod';
import { enc, type ApiResponse, type Call, type CallOptions } from './call.js';

/** Query of `nodes.list`: the shared read options plus `resources` and `os`. */
export type NodeListQuery = z.input<typeof NodeListQuerySchema>;

/** Query of `nodes.info` and `nodes.allocations`: the shared read options. */
export type NodeInfoQuery = z.input<typeof QueryOptionsSchema>;

/** The nodes API. */
export interface NodesApi {
  /** `GET /v1/nodes`: node stubs, ordered by ID; `index`+`wait` block. */
  list(query?: NodeListQuery, opts?: CallOptions): Promise<ApiResponse<NodeList>>;
  /** `GET /v1/node/:id`: one node by full ID. */
  info(id: string, query?: NodeInfoQuery, opts?: CallOptions): Promise<ApiResponse<Node>>;
  /** `GET /v1/node/:id/allocations`: the complete allocations placed on the node. */
  allocations(
    id: string,
    query?: NodeInfoQuery,
    opts?: CallOptions,
  ): Promise<ApiResponse<Allocation[]>>;
}

/** The nodes API over the shared call steps. */
export function createNodesApi(call: Call): NodesApi {
  const api = call.api.nodes;
  return {
    async list(query, opts) {
      const res = await api.list({
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, NodeListSchema, 'GET', '/v1/nodes');
    },
    async info(id, query, opts) {
      const res = await api.info({
        params: { nodeID: enc(id) },
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, NodeSchema, 'GET', `/v1/node/${id}`);
    },
    async allocations(id, query, opts) {
      const res = await api.allocations({
        params: { nodeID: enc(id) },
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(
        res,
        contract.nodes.allocations.responses[200],
        'GET',
        `/v1/node/${id}/allocations`,
      );
    },
  };
}
