// Starts a berth server: refuses an open server beyond loopback, opens the state in the data
// directory, starts the nodes' heartbeat timers, builds the HTTP app (forwarding signal and restart
// to node agents), listens, and only then starts the scheduling loop (eval broker, one worker, plan
// applier, blocked evals), so that the API answers while a restart's backlog is worked.
import { resolve } from 'node:path';
import { holdPolicyParserThread } from '@berth/acl';
import { holdJobspecParserThread } from '@berth/jobspec';
import type { FastifyInstance } from 'fastify';
import { warmPolicyCache } from './acl/policy-warm.js';
import { advertiseAddress } from './advertise.js';
import { isLoopbackAddress } from './loopback.js';
import { NodeHeartbeats, type HeartbeatOptions } from './nodes/heartbeats.js';
import { httpClientRpc, type HttpClientRpcOptions } from './nodes/http-client-rpc.js';
import { startScheduling, type Scheduling } from './scheduler/index.js';
import { openStateStore, type StateStore } from './state/index.js';
import type { JobLimits } from './endpoints/context.js';
import { buildApp } from './http/app.js';

export interface ServerConfig {
  /** Address to listen on (default 127.0.0.1). */
  bind?: string;
  /** HTTP port (default 4646; 0 picks a free one). */
  httpPort?: number;
  /** Where the state lives (default ./berth-data). */
  dataDir?: string;
  /** Log requests and errors as JSON lines to stdout. */
  log?: boolean;
  /** Scheduler workers (default 1). */
  workers?: number;
  /** Node heartbeat timing (TTL default 10 s). */
  heartbeat?: HeartbeatOptions;
  /** Timeouts of the calls forwarded to node agents (signal, restart). */
  forwarding?: HttpClientRpcOptions;
  /** Limits on jobs (`--job-max-count`, `--job-max-priority`; Nomad's defaults otherwise). */
  limits?: Partial<JobLimits>;
  /** Origins besides the server's own from which browsers may send writes (`--allowed-origin`). */
  allowedOrigins?: readonly string[];
  /** ACLs on (`--acl`): every request is authorised by its token. Off by default, as in Nomad. */
  acl?: boolean;
  /** Listen beyond loopback with ACLs off (`--insecure`); refused otherwise. */
  insecure?: boolean;
  /** The server's name (default the host name). */
  nodeName?: string;
  /** The server's datacenter (default dc1). */
  datacenter?: string;
  /** True when a node agent runs in this process (`berth agent --dev`); the agent API says so. */
  clientEnabled?: boolean;
  /** True for `berth agent --dev`. */
  devMode?: boolean;
}

/** How a server is started when nothing says otherwise. */
const serverDefaults = { bind: '127.0.0.1', httpPort: 4646, dataDir: './berth-data' };
/** How long close() lets open connections finish before it ends them. */
const CLOSE_GRACE_MS = 3_000;

export interface RunningServer {
  /** The base URL clients use, e.g. http://127.0.0.1:4646. */
  address: string;
  app: FastifyInstance;
  store: StateStore;
  scheduling: Scheduling;
  /** The nodes' heartbeat timers. */
  heartbeats: NodeHeartbeats;
  /** What the operator should hear about how this server runs (open beyond loopback). */
  warnings: readonly string[];
  /** Stops listening and scheduling, lets in-flight work finish and closes the state. */
  close(): Promise<void>;
}

/**
 * Refuses to listen beyond loopback with ACLs off unless told `insecure`: anyone who reaches such a
 * server can run any command on every node. Answers the warnings of an accepted open server.
 */
export function checkListenAddress(
  config: Pick<ServerConfig, 'bind' | 'acl' | 'insecure'>,
): string[] {
  const bind = config.bind ?? serverDefaults.bind;
  if (config.acl || isLoopbackAddress(bind)) return [];
  if (!config.insecure) {
    throw new Error(
      `refusing to listen on ${bind} with ACLs off: anyone who can reach it could run any ` +
        'command on every node. Start the server with --acl, then create the first management ' +
        'token with POST /v1/acl/bootstrap (`nomad acl bootstrap` also works); or pass ' +
        '--insecure to accept an open server.',
    );
  }
  return [
    `listening on ${bind} with ACLs off (--insecure): anyone who can reach it can run any ` +
      'command on every node',
  ];
}

export async function startServer(config: ServerConfig = {}): Promise<RunningServer> {
  // Before anything is opened: a refused start leaves nothing behind.
  const warnings = checkListenAddress(config);
  const dataDir = config.dataDir ?? serverDefaults.dataDir;
  const store = openStateStore({ dataDir });
  const log = config.log ? { level: 'info' } : false;
  const holder: { app?: FastifyInstance } = {};
  const host = config.bind ?? serverDefaults.bind;
  const heartbeats = new NodeHeartbeats(store, {
    ...config.heartbeat,
    onStall: (ms) => {
      holder.app?.log.warn(`event loop held for ${Math.round(ms)} ms: every node's TTL refreshed`);
      config.heartbeat?.onStall?.(ms);
    },
  });
  // Nodes stored as alive get a grace period to heartbeat this server.
  heartbeats.restore();
  const app = await buildApp({
    store,
    heartbeats,
    clientRpc: httpClientRpc(config.forwarding),
    logger: log,
    limits: config.limits,
    allowedOrigins: config.allowedOrigins,
    aclEnabled: config.acl ?? false,
    dataDir: resolve(dataDir),
    self: {
      ...(config.nodeName && { nodeName: config.nodeName }),
      ...(config.datacenter && { datacenter: config.datacenter }),
      bindAddr: host,
      advertiseAddr: advertiseAddress(host),
      httpPort: config.httpPort ?? serverDefaults.httpPort,
      clientEnabled: config.clientEnabled ?? false,
      devMode: config.devMode ?? false,
    },
  });
  holder.app = app;
  for (const warning of warnings) app.log.warn(warning);
  try {
    await app.listen({ host, port: config.httpPort ?? serverDefaults.httpPort });
  } catch (error) {
    await heartbeats.stop();
    store.close();
    throw error;
  }
  // Only once the API answers: the backlog of a restart must not keep the server from listening.
  const scheduling = startScheduling(store, {
    workers: config.workers,
    jobMaxCount: config.limits?.jobMaxCount,
  });
  // ACL policies are parsed on a worker thread (@berth/acl), held while the server runs; the
  // stored ones are parsed there now, so the first requests do not parse them on the event loop.
  const releaseParser = holdPolicyParserThread();
  // Jobspecs (`/v1/jobs/parse`) are parsed on @berth/jobspec's thread, started on first use.
  const releaseJobspecParser = holdJobspecParserThread();
  const warming = config.acl ? warmPolicyCache(store, app.log) : undefined;
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound ? bound.port : config.httpPort;
  return {
    address: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    app,
    store,
    scheduling,
    heartbeats,
    warnings,
    async close() {
      warming?.stop();
      const closing = app.close();
      // A connection that never sent a request is not idle to Node's HTTP server: it would hold
      // close() until the headers timeout (60 s). Whatever is still open after a grace is ended.
      const force = setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS);
      try {
        await closing;
      } finally {
        clearTimeout(force);
      }
      await releaseParser();
      await releaseJobspecParser();
      await warming?.done;
      await heartbeats.stop();
      await scheduling.stop();
      store.close();
    },
  };
}
