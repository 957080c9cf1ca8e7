// Property-based fuzz of every route of the contract against a real server with ACLs on, on a real
// port, each request carrying a caller from a pool (none, garbage, unknown, expired, client,
// management, a node's secret): no hostile request may get a 5xx, a reset or no answer within
// 1 s; an error body is the message alone, as text/plain; a rejected (4xx) request changes
// nothing in the state; no answer shows a secret to a caller who may not see it. Fixed seed, so
// CI runs the same requests.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import http from 'node:http';
import { MAX_POLICY_BYTES, MAX_POLICY_NESTING } from '@berth/acl';
import { requestToken } from '@berth/contract';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { POLICY_LIMIT_BYTES, POLICY_LIMIT_NESTING, policyBoundCases } from './acl-rules.js';
import { contractRoutes } from './contract-routes.js';
import { startFuzzServer, type FuzzServer } from './fuzz-server.js';
import { requestArb, type FuzzRequest, type FuzzTargets } from './generators.js';
import { problemKind, problemOf, send, type FuzzOutcome } from './send.js';

const SEED = 20261206;
const RUNS = 5000;
/** Hangs and resets past this many: the server is likely wedged, and the run stops. */
const MAX_WEDGED = 40;
/** Failures of any kind past this many: the run stops (the report has plenty to go on). */
const MAX_FAILURES = 1000;
/** Examples kept per kind of failure, so that one pervasive fault does not hide the others. */
const EXAMPLES = 6;

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

/** Failures grouped by kind: how many, and a few examples from as many routes as possible. */
class Failures {
  readonly byKind = new Map<string, { count: number; routes: Set<string>; examples: string[] }>();
  total = 0;

  add(req: FuzzRequest, problem: string): void {
    this.total++;
    const kind = problemKind(problem);
    const seen = this.byKind.get(kind) ?? { count: 0, routes: new Set(), examples: [] };
    seen.count++;
    if (seen.examples.length < EXAMPLES && !seen.routes.has(req.route)) {
      seen.routes.add(req.route);
      seen.examples.push(describe(req, problem));
    }
    this.byKind.set(kind, seen);
  }

  count(kind: string): number {
    return this.byKind.get(kind)?.count ?? 0;
  }

  /** One line per kind, then its examples. */
  report(): string[] {
    return [...this.byKind].flatMap(([kind, { count, examples }]) => [
      `${kind}: ${count} request(s), e.g.`,
      ...examples.map((e) => `  ${e}`),
    ]);
  }
}

/**
 * The seeded secrets a successful answer shows to a caller who may not see them: a token's
 * secret is for management tokens and for the token itself; a node's secret for no one (Nomad
 * strips it from what it sends).
 */
function leakedSecrets(req: FuzzRequest, outcome: FuzzOutcome, t: FuzzTargets): string[] {
  if (outcome.status === undefined || outcome.status >= 300) return [];
  const caller = requestToken(req.headers);
  const tokenSecrets = [t.acl.management, ...t.acl.others, ...t.acl.expired];
  const hidden = [
    ...t.nodeSecrets,
    ...tokenSecrets.filter((s) => !t.acl.managers.includes(caller) && s !== caller),
  ];
  return hidden.filter((secret) => outcome.head.includes(secret));
}

test('the contract routes are all fuzzed', () => {
  const routes = contractRoutes();
  // Every resource of the contract is present: the list is derived, not written by hand.
  expect(new Set(routes.map((r) => r.key.split('.')[0]))).toEqual(
    new Set([
      ...['allocations', 'jobs', 'evaluations', 'nodes', 'nodeAgent', 'namespaces', 'acl'],
      'deployments',
      ...['status', 'regions', 'agent'],
      'clientStats',
      'clientFS',
    ]),
  );
  expect(routes.length).toBeGreaterThanOrEqual(44);
});

test("the policy generators know the server's bounds", () => {
  // The generators run in a worker without @berth/acl's parser, so they copy its bounds.
  expect(POLICY_LIMIT_BYTES).toBe(MAX_POLICY_BYTES);
  expect(POLICY_LIMIT_NESTING).toBe(MAX_POLICY_NESTING);
});

/** How long a bound case may take to be answered before it counts as hung. */
const BOUND_CASE_HANG_MS = 10_000;

test('policy rules at the size and nesting bounds are answered as the bounds say', async () => {
  // The fuzz draws a few of these at random; here each is sent once, by the management token.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const target = { host: fuzz.host, port: fuzz.port, agent };
  const wrong: string[] = [];
  const times: { name: string; ms: number }[] = [];
  for (const c of policyBoundCases) {
    const outcome = await send(
      target,
      {
        route: 'acl.policyUpsertPut',
        method: 'PUT',
        path: '/v1/acl/policy/fuzz-bound',
        headers: {
          'x-nomad-token': fuzz.targets.acl.management,
          'content-type': 'application/json',
        },
        body: Buffer.from(JSON.stringify({ Name: 'fuzz-bound', Rules: c.rules })),
      },
      // What is checked here is the answer; hangs are the fuzz's. A first parse also starts the
      // parser thread (from source, under tsx), which a loaded CI machine may take over 1 s to do.
      BOUND_CASE_HANG_MS,
    );
    times.push({ name: c.name, ms: outcome.ms });
    const problem = problemOf(outcome);
    if (problem !== undefined) wrong.push(`${c.name}: ${problem}`);
    else if (c.outcome !== undefined) {
      let got = `${outcome.status}`;
      if (outcome.status === 200) got = 'accepted';
      else if (outcome.status === 400) {
        if (outcome.body.includes(`more than the ${POLICY_LIMIT_BYTES} allowed`)) got = 'too big';
        else if (outcome.body.includes(`nested more than ${POLICY_LIMIT_NESTING} levels deep`)) {
          got = 'too deep';
        } else got = 'invalid';
      }
      if (got !== c.outcome) {
        wrong.push(`${c.name}: ${c.outcome} expected, ${got}: ${outcome.body.slice(0, 200)}`);
      }
    }
    await fuzz.settle();
  }
  agent.destroy();
  console.log(
    `fuzz: policy bounds, the slowest: ${times
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3)
      .map((c) => `${c.name} ${c.ms.toFixed(0)} ms`)
      .join(', ')}`,
  );
  expect(wrong).toEqual([]);
});

test(
  `${RUNS} hostile requests: no 5xx, reset or hang, and a rejected request changes nothing`,
  { timeout: 150_000 },
  async () => {
    const routes = contractRoutes();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const target = { host: fuzz.host, port: fuzz.port, agent };
    const failures = new Failures();
    const statuses = new Map<number, number>();
    /** Per route, the statuses seen. */
    const byRoute = new Map<string, Map<number, number>>();
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
        const seen = byRoute.get(req.route) ?? new Map<number, number>();
        seen.set(outcome.status, (seen.get(outcome.status) ?? 0) + 1);
        byRoute.set(req.route, seen);
      }
      const problem = problemOf(outcome);
      if (problem !== undefined) failures.add(req, problem);
      const leaked = leakedSecrets(req, outcome, fuzz.targets);
      if (leaked.length > 0) {
        failures.add(req, `secret shown: ${outcome.status} shows ${leaked.join(', ')}`);
      }
      const after = fuzz.stateIndexes();
      if (outcome.status !== undefined && outcome.status >= 400 && after !== before) {
        failures.add(req, `state changed: ${outcome.status} but ${before} → ${after}`);
      }
      // Let the scheduler finish what an accepted write started, and the seeded ACL state come
      // back, so that their writes are not taken for the next request's.
      if (after !== settled || problem !== undefined) {
        await fuzz.settle();
        settled = fuzz.stateIndexes();
      }
      // Failures are collected rather than thrown, so that one run reports many; past a few dozen
      // hangs or resets the server is likely wedged and the run stops.
      return (
        failures.count('hang') + failures.count('reset') < MAX_WEDGED &&
        failures.total < MAX_FAILURES
      );
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
    const aclStatuses = [...byRoute]
      .filter(([route]) => route.startsWith('acl.'))
      .map(([route, seen]) => `${route.slice(4)} ${JSON.stringify(Object.fromEntries(seen))}`);
    console.log(`fuzz: ACL routes: ${aclStatuses.sort().join(', ')}`);
    expect(failures.report()).toEqual([]);
    expect(stopped).toBeUndefined();
    expect(ran).toBe(RUNS);
    // The ACL routes are reached past authentication and validation, each to a success.
    const succeeded = new Set(
      [...byRoute].filter(([, seen]) => [...seen.keys()].some((s) => s < 300)).map(([r]) => r),
    );
    const aclRoutes = routes.map((r) => r.key).filter((k) => k.startsWith('acl.'));
    // Bootstrap succeeds once, in the setup; after it, it is refused whatever the body.
    const reachable = aclRoutes.filter((k) => !k.startsWith('acl.bootstrap'));
    expect(reachable.filter((k) => !succeeded.has(k))).toEqual([]);
  },
);

test('the seeded ACL state outlives the fuzz: the management token still manages', async () => {
  await fuzz.settle();
  const res = await fetch(`http://${fuzz.host}:${fuzz.port}/v1/acl/tokens`, {
    headers: { 'X-Nomad-Token': fuzz.targets.acl.management },
  });
  expect(res.status).toBe(200);
  const tokens = (await res.json()) as { AccessorID: string }[];
  expect(tokens.map((t) => t.AccessorID).sort()).toEqual([...fuzz.targets.acl.accessors].sort());
});
