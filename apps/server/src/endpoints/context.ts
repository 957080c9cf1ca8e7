// What every endpoint works with: the state store, the ACL resolver and the way to reach node
// agents. Endpoints know nothing of HTTP.
import type { AclResolver } from '../acl/acl.js';
import type { ClientRpc } from '../nodes/client-rpc.js';
import type { NodeHeartbeats } from '../nodes/heartbeats.js';
import type { StateStore } from '../state/index.js';

export interface EndpointContext {
  store: StateStore;
  acl: AclResolver;
  /** True when ACLs are on; the ACL API then answers, else it refuses with Nomad's text. */
  aclEnabled?: boolean;
  /** The server's data directory (Nomad's `acl-bootstrap-reset` file is read from it). */
  dataDir?: string;
  clientRpc: ClientRpc;
  /** The nodes' heartbeat timers; without them no node is ever marked down for silence. */
  heartbeats?: NodeHeartbeats;
  /** Limits on what a job may ask for (Nomad's `job_max_count`, `job_max_priority`). */
  limits?: Partial<JobLimits>;
  /** How long one list request may evaluate its filter (pagination.ts's limit unless given). */
  listFilterLimitMs?: number;
}

/** Nomad's server limits on jobs; the defaults are Nomad's. */
export interface JobLimits {
  /** The most allocations one job may ask for: the total of every group's count. */
  jobMaxCount: number;
  /** The highest priority a job or an evaluation may have. */
  jobMaxPriority: number;
}

export const DEFAULT_JOB_LIMITS: Readonly<JobLimits> = { jobMaxCount: 50_000, jobMaxPriority: 100 };

/** The limits in force for `ctx`: the configured ones, else Nomad's defaults. */
export function jobLimits(ctx: EndpointContext): JobLimits {
  return { ...DEFAULT_JOB_LIMITS, ...ctx.limits };
}
