// The cluster and agent APIs of the client (Nomad's Go api `Status()`, `Regions()`, `Agent()`).
import {
  AgentHealthResponseSchema,
  AgentSelfSchema,
  contract,
  ServerMembersSchema,
  type AgentHealthResponse,
  type AgentSelf,
  type QueryOptionsSchema,
  type ServerMembers,
} from '@berth/contract';
import { z } from 'zod';
import type { ApiResponse, Call, CallOptions } from './call.js';

/** Query of the status, regions and members calls: the shared read options. */
export type StatusQuery = z.input<typeof QueryOptionsSchema>;

/** The half of an agent `agent.health` checks: its node agent or its server. */
export type AgentHealthType = 'client' | 'server';

/** The status API (where the leader is, who the peers are). */
export interface StatusApi {
  /** `GET /v1/status/leader`: the leader's RPC address, `ip:port`. */
  leader(query?: StatusQuery, opts?: CallOptions): Promise<ApiResponse<string>>;
  /** `GET /v1/status/peers`: the RPC addresses of the region's servers. */
  peers(query?: StatusQuery, opts?: CallOptions): Promise<ApiResponse<string[]>>;
}

/** The regions API. */
export interface RegionsApi {
  /** `GET /v1/regions`: the names of the known regions. */
  list(query?: StatusQuery, opts?: CallOptions): Promise<ApiResponse<string[]>>;
}

/** The agent API: the answering agent's own view. */
export interface AgentApi {
  /** `GET /v1/agent/self`: configuration, member entry and statistics (ACL agent:read). */
  self(opts?: CallOptions): Promise<ApiResponse<AgentSelf>>;
  /** `GET /v1/agent/members`: the answering server and the servers it knows (ACL node:read). */
  members(query?: StatusQuery, opts?: CallOptions): Promise<ApiResponse<ServerMembers>>;
  /** `GET /v1/agent/servers`: the servers' RPC addresses (ACL agent:read). */
  servers(opts?: CallOptions): Promise<ApiResponse<string[]>>;
  /**
   * `GET /v1/agent/health`: the server's and (when the process runs one) the node agent's health,
   * or only the half `type` names. An unhealthy answer is a 500, thrown as a `BerthApiError` whose
   * text is the health as JSON.
   */
  health(type?: AgentHealthType, opts?: CallOptions): Promise<ApiResponse<AgentHealthResponse>>;
}

const addresses = z.array(z.string());

/** The status API over the shared call steps. */
export function createStatusApi(call: Call): StatusApi {
  const api = call.api.status;
  return {
    async leader(query, opts) {
      const res = await api.leader({
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, z.string(), 'GET', '/v1/status/leader');
    },
    async peers(query, opts) {
      const res = await api.peers({
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, addresses, 'GET', '/v1/status/peers');
    },
  };
}

/** The regions API over the shared call steps. */
export function createRegionsApi(call: Call): RegionsApi {
  return {
    async list(query, opts) {
      const res = await call.api.regions.list({
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, contract.regions.list.responses[200], 'GET', '/v1/regions');
    },
  };
}

/** The agent API over the shared call steps. */
export function createAgentApi(call: Call): AgentApi {
  const api = call.api.agent;
  return {
    async self(opts) {
      const res = await api.self({ ...call.request(opts) });
      return call.finish(res, AgentSelfSchema, 'GET', '/v1/agent/self');
    },
    async members(query, opts) {
      const res = await api.members({
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, ServerMembersSchema, 'GET', '/v1/agent/members');
    },
    async servers(opts) {
      const res = await api.servers({ ...call.request(opts) });
      return call.finish(res, addresses, 'GET', '/v1/agent/servers');
    },
    async health(type, opts) {
      const res = await api.health({
        query: { ...call.scope(opts), ...(type && { type }) },
        ...call.request(opts),
      });
      return call.finish(res, AgentHealthResponseSchema, 'GET', '/v1/agent/health');
    },
  };
}
