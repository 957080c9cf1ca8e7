// What every endpoint works with: the state store, the ACL resolver and the way to reach node
// agents. Endpoints know nothing of HTTP.
import { hostname } from 'node:os';
import type { AclResolver } from '../acl/acl.js';
import type { ClientRpc } from '../nodes/client-rpc.js';
import type { NodeHeartbeats } from '../nodes/heartbeats.js';
import type { StateStore } from '../state/index.js';
import { BERTH_VERSION } from '../version.js';

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
  /** What this server knows about itself, for the agent and status APIs (see serverSelf). */
  self?: ServerSelf;
}

/** This server's own facts (Nomad's agent config), from its real configuration. */
export interface ServerSelf {
  region: string;
  datacenter: string;
  /** The agent's name (Nomad's `name`; the host name unless configured). */
  nodeName: string;
  /** berth's version (`major.minor.patch`). */
  version: string;
  /** The address the server listens on, as configured (`--bind`). */
  bindAddr: string;
  /** The IP other machines reach the server at (the bind address, or one of the host's). */
  advertiseAddr: string;
  httpPort: number;
  /** True when a node agent runs in this process (`berth agent --dev`). */
  clientEnabled: boolean;
  /** True for `berth agent --dev`. */
  devMode: boolean;
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

/** A server's facts where nothing says otherwise: Nomad's defaults, the host name, loopback. */
export function defaultServerSelf(): ServerSelf {
  return {
    region: 'global',
    datacenter: 'dc1',
    nodeName: hostname(),
    version: BERTH_VERSION,
    bindAddr: '127.0.0.1',
    advertiseAddr: '127.0.0.1',
    httpPort: 4646,
    clientEnabled: false,
    devMode: false,
  };
}

/** This server's facts: the configured ones, else the defaults. */
export function serverSelf(ctx: EndpointContext): ServerSelf {
  return ctx.self ?? defaultServerSelf();
}
