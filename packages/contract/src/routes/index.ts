// The whole API: one router per resource, namespaced.
import { initContract } from '@ts-rest/core';
import { aclContract } from './acl.js';
import { agentContract, regionsContract, statusContract } from './agent.js';
import { allocationsContract } from './allocations.js';
import { clientFsContract } from './client-fs.js';
import { clientStatsContract } from './client-stats.js';
import { deploymentsContract } from './deployments.js';
import { evaluationsContract } from './evaluations.js';
import { jobsContract } from './jobs.js';
import { namespacesContract } from './namespaces.js';
import { nodeAgentContract } from './node-agent.js';
import { nodesContract } from './nodes.js';

export * from './acl.js';
export * from './agent.js';
export * from './allocations.js';
export * from './client-stats.js';
export * from './client-fs.js';
export * from './deployments.js';
export * from './errors.js';
export * from './evaluations.js';
export * from './jobs.js';
export * from './namespaces.js';
export * from './node-agent.js';
export * from './nodes.js';

const c = initContract();

/** berth's HTTP API contract. */
export const contract = c.router({
  allocations: allocationsContract,
  jobs: jobsContract,
  evaluations: evaluationsContract,
  deployments: deploymentsContract,
  nodes: nodesContract,
  namespaces: namespacesContract,
  nodeAgent: nodeAgentContract,
  acl: aclContract,
  status: statusContract,
  regions: regionsContract,
  agent: agentContract,
  clientStats: clientStatsContract,
  clientFS: clientFsContract,
});

/** The type of {@link contract}. */
export type Contract = typeof contract;
