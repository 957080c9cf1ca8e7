// A berth node agent (Nomad's `nomad agent -client`): fingerprints the host, serves the client
// HTTP API on its own port, registers the node with the servers and runs its allocations.
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { NodeRegistrationSchema, type Allocation, type NodeRegistration } from '@berth/contract';
import type { FastifyInstance } from 'fastify';
import { createAllocRunner, FileHandleStore } from './allocrunner/index.js';
import type { AllocRunner } from './allocrunner/types.js';
import { Daemon } from './daemon/daemon.js';
import { httpServerApi } from './daemon/http-server-api.js';
import type { ServerApi } from './daemon/server-api.js';
import type { Driver } from './drivers/driver.js';
import { MockDriver, RawExecDriver } from './drivers/index.js';
import { BERTH_VERSION, hostIP } from './fingerprint/host.js';
import { fingerprintNode } from './fingerprint/node.js';
import { httpAclServers } from './http/acl-servers.js';
import { buildAgentApp } from './http/app.js';
import { httpClusterServers } from './http/cluster-servers.js';
import { HeartbeatRecord } from './http/heartbeat-record.js';
import { httpStatsServers } from './http/stats-servers.js';
import { TokenAuthorizer } from './http/token-authorizer.js';
import { callerResolver } from './http/caller.js';
import { registerFsRoutes } from './http/fs-routes.js';
import { HostStatsCollector } from './stats/host-stats.js';
import { nodeCompute } from './stats/node-compute.js';
import { TaskSampler } from './stats/task-sampler.js';
import { loadOrCreateIdentity } from './state/identity.js';

/** What an alloc runner is given besides its allocation. */
export interface RunnerContext {
  dataDir: string;
  node: NodeRegistration;
  drivers: ReadonlyMap<string, Driver>;
}

export interface AgentConfig {
  /** Server addresses, e.g. `http://127.0.0.1:4646` (ignored when `api` is given). */
  servers: string[];
  /** Where the node identity and the allocations' directories live. */
  dataDir: string;
  /** Address the agent's HTTP API listens on (default 127.0.0.1); also the node's HTTPAddr. */
  bind?: string;
  /** The agent's HTTP port (default 0: any free port). */
  httpPort?: number;
  datacenter?: string;
  /** The region of the agent and its servers (default `global`, as Nomad's). */
  region?: string;
  nodeClass?: string;
  nodePool?: string;
  /** Default: the host name. */
  nodeName?: string;
  meta?: Record<string, string>;
  /** The task drivers (default: {@link defaultDrivers}). */
  drivers?: Driver[];
  /** Makes the runner of an allocation (default: the agent's alloc runner). */
  createRunner?: (alloc: Allocation, context: RunnerContext) => AllocRunner;
  /** How the agent reaches the servers (default: HTTP to `servers`). */
  api?: ServerApi;
  /**
   * An operator's ACL token with `node:write` (Nomad's introduction token), sent to register the
   * node until a registration succeeds; without it the node registers with its own SecretID,
   * which re-registers a node the servers know. Heartbeats and allocation calls always use the
   * SecretID.
   */
  token?: string;
  /**
   * How long the agent's API trusts what the servers said of a user's token (Nomad's
   * `acl.token_ttl`, default 30 s; never past the token's expiry).
   */
  aclTokenTtlMs?: number;
  pollWaitMs?: number;
  log?: (message: string, error?: unknown) => void;
}

export interface RunningAgent {
  nodeID: string;
  /** The node's secret: the token the servers present to this agent's HTTP API. */
  secretID: string;
  /** The agent's HTTP address as registered (`host:port`). */
  httpAddr: string;
  daemon: Daemon;
  app: FastifyInstance;
  /** Stops the agent and leaves its tasks running (a restarted agent re-attaches to them). */
  close(): Promise<void>;
}

/** Starts an agent; resolves once its node is registered and ready. */
export async function startAgent(config: AgentConfig): Promise<RunningAgent> {
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const identity = loadOrCreateIdentity(dataDir);
  const driverList = config.drivers ?? defaultDrivers();
  const drivers = new Map(driverList.map((d) => [d.name, d]));
  const { createRunner, hasLocalState } = config.createRunner
    ? { createRunner: config.createRunner, hasLocalState: undefined }
    : defaultRunners(dataDir);

  // The app answers from the daemon's runners; the daemon needs the app's address first.
  const holder: { daemon?: Daemon } = {};
  const bind = config.bind ?? '127.0.0.1';
  const nodeName = config.nodeName || hostname();
  const datacenter = config.datacenter || 'dc1';
  const nodePool = config.nodePool || 'default';
  const startedMs = Date.now();
  const heartbeats = new HeartbeatRecord();
  // Users' tokens are resolved with the servers (with no server address, only the node's own
  // secret is accepted).
  const authorizer =
    config.servers.length > 0
      ? new TokenAuthorizer({
          servers: httpAclServers(config.servers),
          ttlMs: config.aclTokenTtlMs,
        })
      : undefined;
  // The node's compute is known once it is fingerprinted, below; stats are asked for later.
  const computeOf: { node?: NodeRegistration } = {};
  const compute = () => nodeCompute(computeOf.node?.Attributes ?? {});
  const app = await buildAgentApp({
    secretID: identity.SecretID,
    allocation: (id) => holder.daemon?.localAlloc(id),
    authorizer,
    agentApi: {
      facts: () => {
        const bound = app.server.address();
        return {
          region: config.region || 'global',
          datacenter,
          nodeName,
          nodeID: identity.ID,
          nodeClass: config.nodeClass ?? '',
          nodePool,
          bindAddr: bind,
          httpPort: typeof bound === 'object' && bound ? bound.port : (config.httpPort ?? 0),
          version: BERTH_VERSION,
          servers: config.servers,
          numAllocations: holder.daemon?.allocIDs().length ?? 0,
          lastHeartbeatMs: heartbeats.lastMs,
          heartbeatTtlMs: heartbeats.ttlMs,
          startedMs,
          aclEnabled: authorizer?.aclsEnabled() ?? true,
          now: Date.now(),
        };
      },
      cluster: config.servers.length > 0 ? httpClusterServers(config.servers) : undefined,
    },
    stats: {
      nodeID: identity.ID,
      sampler: new TaskSampler({ compute }),
      host: new HostStatsCollector({ dataDir, compute }),
      servers: config.servers.length > 0 ? httpStatsServers(config.servers) : undefined,
    },
  });
  // An allocation's files and logs (`/v1/client/fs/*`), under the data directory.
  await registerFsRoutes(app, {
    dataDir,
    authenticate: callerResolver(identity.SecretID, authorizer),
    allocation: (id) => holder.daemon?.localAlloc(id),
  });
  await app.listen({ host: bind, port: config.httpPort ?? 0 });
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound ? bound.port : (config.httpPort ?? 0);
  // Listening on every address: advertise the one other machines can reach (Nomad's advertise).
  const advertised = bind === '0.0.0.0' || bind === '::' ? hostIP() : bind;
  const httpAddr = `${advertised.includes(':') ? `[${advertised}]` : advertised}:${port}`;

  const fp = fingerprintNode(dataDir, driverList);
  const node: NodeRegistration = NodeRegistrationSchema.parse({
    ...identity,
    Name: nodeName,
    Datacenter: datacenter,
    NodeClass: config.nodeClass ?? '',
    NodePool: nodePool,
    HTTPAddr: httpAddr,
    Attributes: fp.Attributes,
    Meta: config.meta ?? {},
    Drivers: fp.Drivers,
    NodeResources: fp.NodeResources,
    Status: 'initializing',
  });
  computeOf.node = node;
  const context: RunnerContext = { dataDir, node, drivers };
  const daemon = new Daemon({
    // Its heartbeats are noted for the agent's own API (`/v1/agent/self`).
    api: heartbeats.wrap(config.api ?? httpServerApi(config.servers)),
    node,
    registerToken: config.token,
    createRunner: (alloc) => createRunner(alloc, context),
    hasLocalState,
    pollWaitMs: config.pollWaitMs,
    log: config.log,
  });
  holder.daemon = daemon;
  try {
    await daemon.start();
  } catch (error) {
    await app.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    nodeID: identity.ID,
    secretID: identity.SecretID,
    httpAddr,
    daemon,
    app,
    close() {
      // Idempotent: tests and signal handlers may both stop the agent.
      closing ??= daemon.shutdown().then(() => app.close());
      return closing;
    },
  };
}

/**
 * The drivers an agent offers unless told otherwise: `raw_exec`, plus Nomad's `mock_driver` when
 * asked (as Nomad, berth offers the mock only in development).
 */
export function defaultDrivers(options: { mock?: boolean } = {}): Driver[] {
  return options.mock ? [new RawExecDriver(), new MockDriver()] : [new RawExecDriver()];
}

/**
 * Alloc runners whose task handles live in `<dataDir>/client/handles`, for re-attaching. Throws
 * when the handles cannot be read: the agent must not start without knowing its running tasks.
 */
function defaultRunners(dataDir: string): {
  createRunner: (alloc: Allocation, c: RunnerContext) => AllocRunner;
  hasLocalState: (allocID: string) => boolean;
} {
  const handleStore = new FileHandleStore(join(dataDir, 'client', 'handles'));
  handleStore.open();
  return {
    createRunner: (alloc, c) =>
      createAllocRunner(alloc, { dataDir, node: c.node, drivers: c.drivers, handleStore }),
    hasLocalState: (allocID) => handleStore.has(allocID),
  };
}
