// Property-based fuzz of every route of the contract against a real server on a real port: no
// hostile request may get a 5xx, a reset or no answer within 1 s, an error body is text/plain, and
// a rejected (4xx) request changes nothing in the state. Fixed seed, so CI runs the same requests.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { contractRoutes } from './contract-routes.js';
import { startFuzzServer, type FuzzServer } from './fuzz-server.js';
import { requestArb, type FuzzRequest } from './generators.js';
import { problemOf, send } from './send.js';

const SEED = 20261206;
const RUNS = 5000;
const MAX_FAILURES = 40;

let fuzz: FuzzServer;
beforeAll(async () => {
  fuzz = await startFuzzServer();
});
afterAll(async () => {
  await fuzz?.close();
});

/** A failure for the report: the request as sent (body cut short) and what went wrong. */
function describe(req: FuzzRequest, problem: string): string {
  const body =
    req.body === undefined ? '' : ` body=${JSON.stringify(req.body.toString('utf8', 0, 200))}`;
  return `${req.route}: ${req.method} ${req.path.slice(0, 300)} headers=${JSON.stringify(req.headers).slice(0, 200)}${body} → ${problem.slice(0, 300)}`;
}

test('the contract routes are all fuzzed', () => {
  const routes = contractRoutes();
  // Every resource of the contract is present: the list is derived, not written by hand.
  expect(new Set(routes.map((r) => r.key.split('.')[0]))).toEqual(
    new Set(['allocations', 'jobs', 'evaluations', 'nodes', 'nodeAgent', 'namespaces']),
  );
  expect(routes.length).toBeGreaterThanOrEqual(27);
});

test(
  `${RUNS} hostile requests: no 5xx, reset or hang, and a rejected request changes nothing`,
  { timeout: 150_000 },
  async () => {
    const routes = contractRoutes();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const target = { host: fuzz.host, port: fuzz.port, agent };
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let ran = 0;
    let settled = fuzz.stateIndexes();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const property = fc.asyncProperty(requestArb(routes, fuzz.targets), async (req) => {
      ran++;
      const before = fuzz.stateIndexes();
      const outcome = await send(target, req);
      if (outcome.status !== undefined) {
        statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
      }
      const problem = problemOf(outcome);
      if (problem !== undefined) failures.push(describe(req, problem));
      const after = fuzz.stateIndexes();
      if (outcome.status !== undefined && outcome.status >= 400 && after !== before) {
        failures.push(
          describe(req, `${outcome.status} but the state changed: ${before} → ${after}`),
        );
      }
      // Let the scheduler finish what an accepted write started, so that its writes are not
      // taken for the next request's.
      if (after !== settled || problem !== undefined) {
        await fuzz.settle();
        settled = fuzz.stateIndexes();
      }
      // Failures are collected rather than thrown, so that one run reports many; past a few dozen
      // the server is likely wedged and the run stops.
      return failures.length < MAX_FAILURES;
    });
    let stopped: unknown;
    try {
      await fc.assert(property, {
        seed: SEED,
        numRuns: RUNS,
        endOnFailure: true,
        // A wedged server must fail the test with its report, not time it out.
        interruptAfterTimeLimit: 110_000,
        markInterruptAsFailure: true,
      });
    } catch (error) {
      stopped = error;
    }
    delay.disable();
    agent.destroy();
    console.log(
      `fuzz: ${ran} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}, ` +
        `event-loop delay max ${(delay.max / 1e6).toFixed(1)} ms, ` +
        `p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms`,
    );
    expect(failures).toEqual([]);
    expect(stopped).toBeUndefined();
    expect(ran).toBe(RUNS);
  },
);
