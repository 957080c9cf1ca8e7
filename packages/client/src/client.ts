// The berth client: typed calls over @berth/contract, one API object per resource, per-call
// options, QueryMeta from headers.
import { createAclApi, type AclApi } from './acl.js';
import {
  createAgentApi,
  createRegionsApi,
  createStatusApi,
  type AgentApi,
  type RegionsApi,
  type StatusApi,
} from './agent.js';
import { createAllocFsApi, type AllocFsApi } from './alloc-fs.js';
import { createAllocationsApi, type AllocationsApi } from './allocations.js';
import { createCall, type ClientOptions } from './call.js';
import { createDeploymentsApi, type DeploymentsApi } from './deployments.js';
import { createEvaluationsApi, type EvaluationsApi } from './evaluations.js';
import { createJobsApi, type JobsApi } from './jobs.js';
import { createNamespacesApi, type NamespacesApi } from './namespaces.js';
import { createNodesApi, type NodesApi } from './nodes.js';

export type { ApiResponse, CallOptions, ClientOptions } from './call.js';

/** A berth (or Nomad) API client. */
export interface BerthClient {
  /** The allocations API. */
  allocations: AllocationsApi;
  /** An allocation's files and logs, read on its node (Nomad's `AllocFS()`). */
  allocFS: AllocFsApi;
  /**
   * The jobs API: register, list, read, deregister; a job's allocations, evaluations, summary and
   * deployments.
   */
  jobs: JobsApi;
  /** The evaluations API: list, read, an evaluation's allocations. */
  evaluations: EvaluationsApi;
  /** The deployments API (read side): list, read. */
  deployments: DeploymentsApi;
  /** The nodes API (read side): list, read, a node's allocations. */
  nodes: NodesApi;
  /** The namespaces API: list, read, register, delete. */
  namespaces: NamespacesApi;
  /** The ACL API: bootstrap; list, read, write and delete policies and tokens; the caller's token. */
  acl: AclApi;
  /** The status API: the leader's address, the peers. */
  status: StatusApi;
  /** The regions API: the known regions. */
  regions: RegionsApi;
  /** The agent API: the agent itself, the members, the servers, health. */
  agent: AgentApi;
}

/**
 * Creates a client. Any non-2xx answer throws a {@link BerthApiError} carrying the status and the
 * server's text. Per-call {@link CallOptions} override the defaults given here.
 */
export function createClient(options: ClientOptions): BerthClient {
  const call = createCall(options);
  return {
    allocations: createAllocationsApi(call),
    allocFS: createAllocFsApi(call),
    jobs: createJobsApi(call),
    evaluations: createEvaluationsApi(call),
    deployments: createDeploymentsApi(call),
    nodes: createNodesApi(call),
    namespaces: createNamespacesApi(call),
    acl: createAclApi(call),
    status: createStatusApi(call),
    regions: createRegionsApi(call),
    agent: createAgentApi(call),
  };
}
