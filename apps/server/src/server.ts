// Starts a berth server: opens the state in the data directory, starts the nodes' heartbeat
// timers, builds the HTTP app (forwarding signal and restart to node agents), listens, and only
// then starts the scheduling loop (eval broker, one worker, plan applier, blocked evals), so that
// the API answers while a restart's backlog is worked.
import type { FastifyInstance } from 'fastify';
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
}

export interface RunningServer {
  /** The base URL clients use, e.g. http://127.0.0.1:4646. */
  address: string;
  app: FastifyInstance;
  store: StateStore;
  scheduling: Scheduling;
  /** The nodes' heartbeat timers. */
  heartbeats: NodeHeartbeats;
  /** Stops listening and scheduling, lets in-flight work finish and closes the state. */
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig = {}): Promise<RunningServer> {
  const store = openStateStore({ dataDir: config.dataDir ?? './berth-data' });
  const log = config.log ? { level: 'info' } : false;
  const holder: { app?: FastifyInstance } = {};
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
  });
  holder.app = app;
  try {
    await app.listen({ host: config.bind ?? '127.0.0.1', port: config.httpPort ?? 4646 });
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
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound ? bound.port : config.httpPort;
  const host = config.bind ?? '127.0.0.1';
  return {
    address: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    app,
    store,
    scheduling,
    heartbeats,
    async close() {
      await app.close();
      await heartbeats.stop();
      await scheduling.stop();
      store.close();
    },
  };
}
