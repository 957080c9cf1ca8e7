// @berth/client: a typed client for berth and Nomad-compatible HTTP APIs.
export type {
  AclApi,
  AclPolicyInput,
  AclQuery,
  AclTokenInput,
  AclTokenUpdateInput,
  AclWriteResponse,
} from './acl.js';
export type { AllocFsApi, AllocFsFrame, AllocLogsQuery, AllocStreamQuery } from './alloc-fs.js';
export type {
  AllocInfoQuery,
  AllocListQuery,
  AllocRestartBody,
  AllocSignalBody,
  AllocStatsQuery,
  AllocStopOptions,
  AllocationsApi,
} from './allocations.js';
export * from './client.js';
export type { DeploymentQuery, DeploymentsApi } from './deployments.js';
export * from './errors.js';
export type {
  EvalAllocationsQuery,
  EvalInfoQuery,
  EvalListQuery,
  EvaluationsApi,
} from './evaluations.js';
export { createFetcher, type FetchLike } from './fetcher.js';
export type { AgentApi, AgentHealthType, RegionsApi, StatusApi, StatusQuery } from './agent.js';
export type {
  JobAllocationsQuery,
  JobDeploymentsQuery,
  JobDeregisterOptions,
  JobEvaluateOptions,
  JobInfoQuery,
  JobListQuery,
  JobRegisterOptions,
  JobScaleOptions,
  JobPlanOptions,
  JobParseOptions,
  JobsApi,
  JobVersionsQuery,
} from './jobs.js';
export type {
  NamespaceInput,
  NamespaceQuery,
  NamespacesApi,
  NamespaceWriteResponse,
} from './namespaces.js';
export type { NodeDrainOptions, NodeInfoQuery, NodeListQuery, NodesApi } from './nodes.js';
export * from './query-meta.js';
