// The fuzz benchmark: the fuzz test's generators for 100,000 requests against a real server (the
// same seeded one as the test), the client in a worker thread. Reports 5xx answers, resets,
// hangs (no answer within 1 s) and the event-loop delay of the server's thread, beside the same
// thread's delay while idle. Run by `pnpm bench`, or alone:
//   node --import tsx --conditions=@berth/source bench/fuzz.ts [requests]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { tableNames } from '../src/state/tables/index.js';
import { startFuzzServer, type FuzzServer } from '../test/fuzz/fuzz-server.js';
import type { FuzzClientJob, FuzzClientResult } from './fuzz-client.js';

type Report = (what: string, figure: string, baseline: string, target: string, ok: boolean) => void;

const REQUESTS = 100_000;
const CONNECTIONS = 4;
const SEED = 20261206;
/** The time budget: no request may hold the event loop longer. */
const BUDGET_MS = 50;

const ms = (ns: number) => (ns / 1e6).toFixed(1);

/** The server thread's stalls over the budget, each with the commits made in it. */
function watchStalls(fuzz: FuzzServer) {
  const TICK = 10;
  const stalls: { start: number; end: number; ms: number; commits: string }[] = [];
  let commits: string[] = [];
  const unsubscribe = fuzz.server.store.onCommit((commit) => {
    const sizes = tableNames
      .map((name) => [name, commit.changes(name).length] as const)
      .filter(([, n]) => n > 0)
      .map(([name, n]) => `${name} ${n}`);
    commits.push(`#${commit.index} (${sizes.join(', ')})`);
  });
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const lag = now - last - TICK;
    if (lag > BUDGET_MS) {
      const start = performance.timeOrigin + last;
      stalls.push({
        start,
        end: start + now - last,
        ms: lag,
        commits: commits.slice(-4).join('; '),
      });
    }
    commits = [];
    last = now;
  }, TICK);
  return {
    stop() {
      clearInterval(timer);
      unsubscribe();
      return stalls.sort((a, b) => b.ms - a.ms).slice(0, 5);
    },
  };
}

function client(job: FuzzClientJob): Promise<FuzzClientResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./fuzz-worker.mjs', import.meta.url), { workerData: job });
    worker.once('message', (result: FuzzClientResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

export async function benchFuzz(report: Report, requests = REQUESTS): Promise<void> {
  const fuzz = await startFuzzServer();
  try {
    // The baseline: the same thread's delay with the server idle for a second.
    const idle = monitorEventLoopDelay({ resolution: 1 });
    idle.enable();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    idle.disable();

    const stalls = watchStalls(fuzz);
    const busy = monitorEventLoopDelay({ resolution: 1 });
    busy.enable();
    const result = await client({
      host: fuzz.host,
      port: fuzz.port,
      targets: fuzz.targets,
      requests,
      connections: CONNECTIONS,
      seed: SEED,
    });
    busy.disable();
    const found = stalls.stop();

    console.log(
      `fuzz: ${result.requests} requests in ${result.seconds.toFixed(1)} s over ${CONNECTIONS} connections; ` +
        `statuses ${JSON.stringify(result.statuses)}; slowest answer ${result.slowestMs.toFixed(0)} ms`,
    );
    for (const example of result.examples) console.log(`  ${example}`);
    // Where the time went: the longest stalls of the server's thread, with the commits made
    // during them and the requests that were in flight, so a miss can be traced to its cause.
    for (const stall of found) {
      console.log(`stall of ${stall.ms.toFixed(0)} ms; commits: ${stall.commits || 'none'}`);
      for (const slow of result.slowest) {
        if (slow.at <= stall.end && slow.at + slow.ms >= stall.start) {
          console.log(`  in flight (${slow.ms.toFixed(0)} ms): ${slow.request}`);
        }
      }
    }
    const clean = result.serverErrors === 0 && result.resets === 0 && result.hangs === 0;
    report(
      `fuzz: ${result.requests} hostile requests (5xx / resets / hangs > 1 s)`,
      `${result.serverErrors} / ${result.resets} / ${result.hangs}`,
      'none allowed',
      '0 / 0 / 0',
      clean,
    );
    report(
      'fuzz: event-loop delay of the server thread (max, p99)',
      `${ms(busy.max)} ms, p99 ${ms(busy.percentile(99))} ms`,
      `idle ${ms(idle.max)} ms, p99 ${ms(idle.percentile(99))} ms`,
      `max <= ${BUDGET_MS} ms`,
      busy.max / 1e6 <= BUDGET_MS,
    );
  } finally {
    await fuzz.close();
  }
}

// Alone: print the two lines and exit non-zero on a miss.
/** The prefix of the line that hands the report's rows to bench/run.ts. */
export const ROWS_LINE = 'fuzz rows: ';

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let missed = false;
  const rows: [string, string, string, string, boolean][] = [];
  await benchFuzz(
    (what, figure, baseline, target, ok) => {
      missed ||= !ok;
      rows.push([what, figure, baseline, target, ok]);
      console.log(
        `${ok ? 'ok  ' : 'MISS'} ${what}: ${figure} (baseline ${baseline}; target ${target})`,
      );
    },
    Number(process.argv[2] ?? REQUESTS),
  );
  console.log(`${ROWS_LINE}${JSON.stringify(rows)}`);
  if (missed) process.exitCode = 1;
}
