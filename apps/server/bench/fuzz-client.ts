// The fuzz benchmark's HTTP client, run in a worker thread so that the server's thread does only
// server work: the fuzz test's generators, in seeded batches, over a few keep-alive connections.
// Posts one result when done.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { contractRoutes } from '../test/fuzz/contract-routes.js';
import { requestArb, type FuzzRequest, type FuzzTargets } from '../test/fuzz/generators.js';
import { problemOf, send } from '../test/fuzz/send.js';

/** What the main thread asks for. */
export interface FuzzClientJob {
  host: string;
  port: number;
  targets: FuzzTargets;
  requests: number;
  connections: number;
  seed: number;
}

/** What the worker answers. */
export interface FuzzClientResult {
  requests: number;
  statuses: Record<string, number>;
  serverErrors: number;
  resets: number;
  hangs: number;
  /** The first few failures, each with its request. */
  examples: string[];
  seconds: number;
  /** The slowest answer, in milliseconds. */
  slowestMs: number;
  /** Requests slower than {@link SLOW_MS}: when each started (epoch ms), its time, what it was. */
  slowest: { at: number; ms: number; request: string }[];
}

/** What counts as a slow request, and how many of them are kept (the slowest). */
const SLOW_MS = 100;
const SLOWEST = 200;

const BATCH = 1000;

async function run(job: FuzzClientJob): Promise<FuzzClientResult> {
  const arb = requestArb(contractRoutes(), job.targets);
  const statuses: Record<string, number> = {};
  const result: FuzzClientResult = {
    requests: 0,
    statuses,
    serverErrors: 0,
    resets: 0,
    hangs: 0,
    examples: [],
    seconds: 0,
    slowestMs: 0,
    slowest: [],
  };
  const started = performance.now();
  let queue: FuzzRequest[] = [];
  let batch = 0;
  const next = (): FuzzRequest | undefined => {
    if (result.requests >= job.requests) return undefined;
    if (queue.length === 0) {
      // Each batch has its own seed, so the run is reproducible batch by batch.
      queue = fc.sample(arb, { seed: job.seed + batch++, numRuns: BATCH });
    }
    result.requests++;
    return queue.pop();
  };
  await Promise.all(
    Array.from({ length: job.connections }, async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const target = { host: job.host, port: job.port, agent };
      let previous = 'nothing';
      for (let req = next(); req !== undefined; req = next()) {
        const at = performance.timeOrigin + performance.now();
        const outcome = await send(target, req);
        const request = `${outcome.status ?? 'no answer'} ${req.route}: ${req.method} ${req.path.slice(0, 160)} (${req.body?.length ?? 0}-byte body ${JSON.stringify(req.body?.toString('utf8', 0, 60) ?? '')})`;
        if (outcome.ms > SLOW_MS) {
          result.slowest.push({ at, ms: outcome.ms, request });
          if (result.slowest.length > SLOWEST * 2) {
            result.slowest.sort((x, y) => y.ms - x.ms);
            result.slowest.length = SLOWEST;
          }
        }
        const key = outcome.status === undefined ? 'none' : String(outcome.status);
        statuses[key] = (statuses[key] ?? 0) + 1;
        result.slowestMs = Math.max(result.slowestMs, outcome.ms);
        if (outcome.hung) result.hangs++;
        else if (outcome.status === undefined) result.resets++;
        else if (outcome.status >= 500) result.serverErrors++;
        const problem = problemOf(outcome);
        if (problem !== undefined && result.examples.length < 20) {
          // A reset may belong to the connection rather than the request: name the one before.
          result.examples.push(
            `${req.route}: ${req.method} ${req.path.slice(0, 200)} (${req.body?.length ?? 0}-byte body) → ${problem.slice(0, 200)} (after ${previous})`,
          );
        }
        previous = request;
      }
      agent.destroy();
    }),
  );
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

parentPort!.postMessage(await run(workerData as FuzzClientJob));
