// Starts a berth server: opens the state in the data directory, starts the scheduling loop
// (eval broker, one worker, plan applier, blocked evals), builds the HTTP app and listens.
import type { FastifyInstance } from 'fastify';
import { startScheduling, type Scheduling } from './scheduler/index.js';
import { openStateStore, type StateStore } from './state/index.js';
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
}

export interface RunningServer {
  /** The base URL clients use, e.g. http://127.0.0.1:4646. */
  address: string;
  app: FastifyInstance;
  store: StateStore;
  scheduling: Scheduling;
  /** Stops listening and scheduling, lets in-flight work finish and closes the state. */
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig = {}): Promise<RunningServer> {
  const store = openStateStore({ dataDir: config.dataDir ?? './berth-data' });
  const app = await buildApp({ store, logger: config.log ? { level: 'info' } : false });
  const scheduling = startScheduling(store, { workers: config.workers });
  try {
    await app.listen({ host: config.bind ?? '127.0.0.1', port: config.httpPort ?? 4646 });
  } catch (error) {
    await scheduling.stop();
    store.close();
    throw error;
  }
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound ? bound.port : config.httpPort;
  const host = config.bind ?? '127.0.0.1';
  return {
    address: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    app,
    store,
    scheduling,
    async close() {
      await app.close();
      await scheduling.stop();
      store.close();
    },
  };
}
