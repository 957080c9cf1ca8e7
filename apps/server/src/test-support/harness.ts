// A berth server for tests: the real app over a real (in-memory or on-disk) state store, driven
// through the published client on app.inject(), with no port.
import { createClient, type BerthClient, type FetchLike } from '@berth/client';
import type { Allocation, Evaluation, Job, Node } from '@berth/contract';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppOptions } from '../http/app.js';
import { NodeHeartbeats, type HeartbeatOptions } from '../nodes/heartbeats.js';
import { startScheduling, type Scheduling, type SchedulingOptions } from '../scheduler/index.js';
import { openStateStore, type StateStore } from '../state/index.js';

export interface TestServer {
  app: FastifyInstance;
  store: StateStore;
  /** A client of this server; `clientFor` makes others (e.g. with another token). */
  client: BerthClient;
  clientFor(options: { token?: string; namespace?: string }): BerthClient;
  /** Raw requests, for what a typed client cannot send (bad methods, broken bodies). */
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** The scheduling loop, when the server was started with `scheduling`. */
  scheduling: Scheduling | undefined;
  /** The nodes' heartbeat timers (a node that misses its TTL is marked down). */
  heartbeats: NodeHeartbeats;
  close(): Promise<void>;
}

/** Options of a test server. */
export type TestServerOptions = Partial<AppOptions> & {
  dataDir?: string;
  /**
   * Runs the scheduling loop (broker, worker, plan applier, blocked evals): `true` with the generic
   * scheduler for `service` and `batch`, or with the options given.
   */
  scheduling?: boolean | SchedulingOptions;
  /** Heartbeat timing (e.g. `{ ttlMs: 300, graceMs: 0 }` to see nodes go down in a test). */
  heartbeat?: HeartbeatOptions;
};

/** Routes fetch calls to `app.inject()`, so the client talks to the app without a port. */
export function injectFetch(app: FastifyInstance): FetchLike {
  return async (url, init) => {
    const { pathname, search } = new URL(url);
    const res = await app.inject({
      method: (init.method ?? 'GET') as InjectOptions['method'],
      url: pathname + search,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      payload: typeof init.body === 'string' ? init.body : undefined,
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined)
        headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
    }
    const empty = res.statusCode === 204 || res.statusCode === 304;
    return new Response(empty ? null : res.rawPayload, { status: res.statusCode, headers });
  };
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const store =
    options.store ??
    openStateStore(
      options.dataDir ? { dataDir: options.dataDir } : { inMemory: true, freeze: true },
    );
  const heartbeats = options.heartbeats ?? new NodeHeartbeats(store, options.heartbeat);
  heartbeats.restore();
  const app = await buildApp({ ...options, store, heartbeats });
  const scheduling =
    options.scheduling === true
      ? startScheduling(store)
      : options.scheduling
        ? startScheduling(store, options.scheduling)
        : undefined;
  const fetch = injectFetch(app);
  const clientFor = (o: { token?: string; namespace?: string }) =>
    createClient({ address: 'http://berth.test', fetch, ...o });
  return {
    app,
    store,
    client: clientFor({}),
    clientFor,
    inject: (o) => app.inject(o),
    scheduling,
    heartbeats,
    async close() {
      await heartbeats.stop();
      await scheduling?.stop();
      await app.close();
      store.close();
    },
  };
}

/** What a test seeds: objects are written as given, in one write, then indexes are set. */
export interface Seed {
  jobs?: Job[];
  nodes?: Node[];
  allocs?: Allocation[];
  evals?: Evaluation[];
}

/**
 * Writes objects in one transaction, each with CreateIndex/ModifyIndex set to that write's index
 * (as the scheduler would), and returns them as stored.
 */
export async function seed(store: StateStore, objects: Seed): Promise<number> {
  return store.write((tx) => {
    const at = { CreateIndex: tx.index, ModifyIndex: tx.index };
    for (const job of objects.jobs ?? []) tx.upsertJob({ ...job, ...at, JobModifyIndex: tx.index });
    for (const node of objects.nodes ?? []) tx.upsertNode({ ...node, ...at });
    for (const ev of objects.evals ?? []) tx.upsertEval({ ...ev, ...at });
    for (const alloc of objects.allocs ?? []) {
      tx.upsertAlloc({ ...alloc, ...at, AllocModifyIndex: tx.index });
    }
  });
}
