// What the ACL acceptance tests share: a real server with ACLs on, listening on a loopback port
// over SQLite in a temp directory; any route of the contract called by its key through
// @berth/client's fetcher, answered as a client sees it (status, Content-Type, text or JSON); a
// stand-in node agent that records the signals and restarts the server forwards to it; and a
// wait for the scheduler to be idle, so that "nothing changed" can be asserted.
import { BerthApiError, createFetcher, type FetchLike } from '@berth/client';
import { contract } from '@berth/contract';
import { initClient, isAppRoute, type AppRouter } from '@ts-rest/core';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../src/server.js';

/** Every route key of the contract (`allocations.list`, `nodeAgent.heartbeat`, ...). */
export function contractRouteKeys(router: AppRouter = contract, prefix = ''): string[] {
  const keys: string[] = [];
  for (const [name, entry] of Object.entries(router)) {
    const key = prefix === '' ? name : `${prefix}.${name}`;
    if (isAppRoute(entry)) keys.push(key);
    else keys.push(...contractRouteKeys(entry, key));
  }
  return keys;
}

/** The parts of one call of a route, as ts-rest's client takes them. */
export interface RouteArgs {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

/** An answer as a client sees it. */
export interface Answer {
  status: number;
  /** The answer's Content-Type ('' when none). */
  contentType: string;
  /** The decoded JSON of a 2xx answer, or the text (an error's message). */
  body: unknown;
}

type RouteFn = (args: RouteArgs & { extraHeaders: Record<string, string> }) => Promise<{
  status: number;
  body: unknown;
}>;

/**
 * Calls the route `key` of the contract at `address` with `token` (none when ''), through the
 * published client's fetcher: a non-2xx answer is the client's BerthApiError, read back here
 * into its status and text. `send` is the global fetch, or another transport such as
 * `injectFetch(app)`.
 */
export async function callRoute(
  address: string,
  key: string,
  args: RouteArgs,
  token: string,
  send: FetchLike = (url, init) => fetch(url, init),
): Promise<Answer> {
  let contentType = '';
  const fetchFn: FetchLike = async (url, init) => {
    const res = await send(url, init);
    contentType = res.headers.get('content-type') ?? '';
    return res;
  };
  const client = initClient(contract, {
    baseUrl: address,
    baseHeaders: {},
    api: createFetcher(fetchFn),
  }) as unknown as Record<string, Record<string, RouteFn>>;
  const [group, name] = key.split('.') as [string, string];
  const route = client[group]?.[name];
  if (route === undefined) throw new Error(`no route ${key} in the contract`);
  const extraHeaders: Record<string, string> = token === '' ? {} : { 'X-Nomad-Token': token };
  try {
    const res = await route({ ...args, extraHeaders });
    return { status: res.status, contentType, body: res.body };
  } catch (error) {
    if (error instanceof BerthApiError) {
      return { status: error.status, contentType, body: error.message };
    }
    throw error;
  }
}

/** A call a node agent received from the server (a forwarded signal or restart). */
export interface ForwardedCall {
  method: string;
  path: string;
  /** The X-Nomad-Token the server presented (the node's SecretID). */
  token: string;
}

/** A loopback HTTP listener standing in for the node agents: records calls, answers `{}`. */
export interface RecordingAgent {
  /** `127.0.0.1:<port>`, a node's HTTPAddr. */
  httpAddr: string;
  calls: ForwardedCall[];
  close(): Promise<void>;
}

const EMPTY_STATS = {
  ResourceUsage: null,
  Tasks: {},
  Timestamp: 0,
  Memory: null,
  CPU: [],
  DiskStats: [],
  AllocDirStats: null,
  DeviceStats: [],
  Uptime: 0,
  CPUTicksConsumed: 0,
};

/** A forwarded read's answer: a listing, a file's facts, or statistics (the other reads). */
function readAnswer(path: string): unknown {
  if (path.startsWith('/v1/client/fs/ls/')) return [];
  if (path.startsWith('/v1/client/fs/stat/')) {
    return {
      Name: 'logs',
      IsDir: true,
      Size: 4096,
      FileMode: 'drwxr-xr-x',
      ModTime: '2026-01-01T00:00:00Z',
    };
  }
  return EMPTY_STATS;
}

export async function startRecordingAgent(): Promise<RecordingAgent> {
  const calls: ForwardedCall[] = [];
  const listener = http.createServer((req, res) => {
    const token = req.headers['x-nomad-token'];
    calls.push({
      method: req.method ?? '',
      path: req.url ?? '',
      token: typeof token === 'string' ? token : '',
    });
    // The body is read to its end before answering, as a real agent would.
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      // The only reads forwarded are statistics: one body of both shapes (an allocation's usage
      // and a host's statistics, each with nothing measured) answers them.
      res.end(req.method === 'GET' ? JSON.stringify(readAnswer(req.url ?? '')) : '{}');
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const bound = listener.address();
  if (bound === null || typeof bound !== 'object') throw new Error('agent: no port');
  return {
    httpAddr: `127.0.0.1:${bound.port}`,
    calls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        listener.closeAllConnections();
        listener.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A running server with ACLs on. */
export interface AclServer {
  server: RunningServer;
  address: string;
  /** Calls a route of the contract by its key (see {@link callRoute}). */
  call(key: string, args: RouteArgs, token: string): Promise<Answer>;
  /**
   * Calls a route as the operator setting up a test; anything but a 2xx throws with the answer.
   */
  must(key: string, args: RouteArgs, token: string): Promise<unknown>;
  /** Resolves once the scheduler has nothing in hand and no write happened for a moment. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 3));

/** Starts a server with ACLs on, no node ever going down, and short forwarding timeouts. */
export async function startAclServer(): Promise<AclServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-acl-'));
  const server = await startServer({
    dataDir,
    httpPort: 0,
    acl: true,
    heartbeat: { ttlMs: 3_600_000, startupGraceMs: 3_600_000 },
    forwarding: { connectTimeoutMs: 1_000, timeoutMs: 5_000 },
  });
  const { store } = server;
  const call = (key: string, args: RouteArgs, token: string) =>
    callRoute(server.address, key, args, token);
  return {
    server,
    address: server.address,
    call,
    async must(key, args, token) {
      const answer = await call(key, args, token);
      if (answer.status < 200 || answer.status >= 300) {
        throw new Error(`setup: ${key} answered ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      return answer.body;
    },
    async settle() {
      // Bounded: the scheduler's work on a test's few jobs is small.
      for (let round = 0; round < 2_000; round++) {
        const before = store.latestIndex();
        const { ready, unacked, pending } = server.scheduling.broker.stats();
        await tick();
        if (ready + unacked + pending === 0 && store.latestIndex() === before) return;
      }
      throw new Error(`the scheduler did not settle (index ${store.latestIndex()})`);
    },
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
