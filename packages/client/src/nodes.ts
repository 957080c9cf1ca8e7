// The nodes API of the client (Nomad's Go api `Nodes()`).
import {
  contract,
  HostStatsSchema,
  NodeDrainUpdateResponseSchema,
  NodeEligibilityUpdateResponseSchema,
  NodeListSchema,
  NodeSchema,
  type Allocation,
  type DrainSpec,
  type HostStats,
  type Node,
  type NodeDrainUpdateResponse,
  type NodeEligibilityUpdateResponse,
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

/** Options of `nodes.updateDrain` (Nomad's `DrainOptions`). */
export interface NodeDrainOptions {
  /**
   * The drain to start or update (`Deadline` in nanoseconds: 0 none, -1 force); `null` cancels
   * the node's drain.
   */
  drainSpec: DrainSpec | null;
  /** With `drainSpec: null`, make the node eligible again. */
  markEligible?: boolean;
  /** Recorded in the node's `LastDrain.Meta`. */
  meta?: Record<string, string>;
}

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
  /** `POST /v1/node/:id/drain`: start, update or cancel the node's drain. */
  updateDrain(
    id: string,
    options: NodeDrainOptions,
    opts?: CallOptions,
  ): Promise<ApiResponse<NodeDrainUpdateResponse>>;
  /** `POST /v1/node/:id/eligibility`: make the node eligible or ineligible for placements. */
  toggleEligibility(
    id: string,
    eligible: boolean,
    opts?: CallOptions,
  ): Promise<ApiResponse<NodeEligibilityUpdateResponse>>;
  /**
   * `GET /v1/client/stats?node_id=`: the node's host statistics (memory, CPUs, disk, uptime),
   * measured by the node (Nomad's `Nodes().Stats`). A server needs `nodeID`; a node agent
   * answers for itself when it is ''.
   */
  stats(nodeID: string, opts?: CallOptions): Promise<ApiResponse<HostStats>>;
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
    async updateDrain(id, options, opts) {
      const res = await api.updateDrain({
        params: { nodeID: enc(id) },
        query: call.scope(opts),
        body: {
          NodeID: id,
          DrainSpec: options.drainSpec,
          MarkEligible: options.markEligible ?? false,
          Meta: options.meta ?? null,
        },
        ...call.request(opts),
      });
      return call.finish(res, NodeDrainUpdateResponseSchema, 'POST', `/v1/node/${id}/drain`);
    },
    async toggleEligibility(id, eligible, opts) {
      const res = await api.toggleEligibility({
        params: { nodeID: enc(id) },
        query: call.scope(opts),
        body: { NodeID: id, Eligibility: eligible ? 'eligible' : 'ineligible' },
        ...call.request(opts),
      });
      return call.finish(
        res,
        NodeEligibilityUpdateResponseSchema,
        'POST',
        `/v1/node/${id}/eligibility`,
      );
    },
    async stats(nodeID, opts) {
      const res = await call.api.clientStats.host({
        query: { ...call.scope(opts), ...(nodeID !== '' ? { node_id: nodeID } : {}) },
        ...call.request(opts),
      });
      return call.finish(res, HostStatsSchema, 'GET', `/v1/client/stats?node_id=${nodeID}`);
    },
  };
}
