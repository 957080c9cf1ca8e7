// Every table of the state store. To add one: declare it in its own file, add it to
// `StateTables`, `tableDefs` and `tableNames`, and give the store and write transaction typed
// accessors.

import type {
  AclPolicy,
  AclToken,
  Allocation,
  Evaluation,
  Job,
  Namespace,
  Node,
} from '@berth/contract';

import type { TableDef } from '../table.js';
import { aclBootstrapTable, type AclBootstrapState } from './acl-bootstrap.js';
import { aclPoliciesTable } from './acl-policies.js';
import { aclTokensTable } from './acl-tokens.js';
import { allocsTable } from './allocs.js';
import { evalsTable } from './evals.js';
import { jobsTable, jobVersionsTable } from './jobs.js';
import { namespacesTable } from './namespaces.js';
import { nodesTable } from './nodes.js';
import { scalingEventsTable, type JobScalingEvents } from './scaling-events.js';

/** The object type of each table, by table name. */
export interface StateTables {
  namespaces: Namespace;
  nodes: Node;
  job_versions: Job;
  jobs: Job;
  evals: Evaluation;
  allocs: Allocation;
  acl_policies: AclPolicy;
  acl_tokens: AclToken;
  acl_bootstrap: AclBootstrapState;
  scaling_events: JobScalingEvents;
}

export type TableName = keyof StateTables;

/** Table declarations by name. */
export const tableDefs: { readonly [K in TableName]: TableDef<StateTables[K]> } = {
  namespaces: namespacesTable,
  nodes: nodesTable,
  job_versions: jobVersionsTable,
  jobs: jobsTable,
  evals: evalsTable,
  allocs: allocsTable,
  acl_policies: aclPoliciesTable,
  acl_tokens: aclTokensTable,
  acl_bootstrap: aclBootstrapTable,
  scaling_events: scalingEventsTable,
};

/** Load order: a table may link to objects of the tables before it (allocs → job_versions). */
export const tableNames: readonly TableName[] = [
  'namespaces',
  'nodes',
  'job_versions',
  'jobs',
  'evals',
  'allocs',
  'acl_policies',
  'acl_tokens',
  'acl_bootstrap',
  'scaling_events',
];

export { ACL_BOOTSTRAP_KEY, type AclBootstrapState } from './acl-bootstrap.js';
export { defaultNamespace } from './namespaces.js';
export { JOB_TRACKED_SCALING_EVENTS, type JobScalingEvents } from './scaling-events.js';
export { storedNodeSecret } from './nodes.js';
export { jobKey, jobVersionKey } from './keys.js';
