// `pnpm bench` for the server: the allocation API's speed and memory, each figure beside a
// baseline measured in the same run on the same machine. Prints a Markdown table for
// BENCHMARKS.md.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { buildApp } from '../src/http/app.js';
import { openStateStore } from '../src/state/index.js';
import { allocReadView, allocStub } from '../src/endpoints/allocations/views.js';
import { seedAllocations } from './fixtures.js';
import { ROWS_LINE } from './fuzz.js';
import { benchScheduler } from './scheduler.js';

const ALLOCS = 10_000;
const rows: string[][] = [];
const report = (what: string, figure: string, baseline: string, target: string, ok: boolean) => {
  rows.push([what, figure, baseline, target, ok ? 'met' : 'MISSED']);
  console.log(
    `${ok ? 'ok  ' : 'MISS'} ${what}: ${figure} (baseline ${baseline}; target ${target})`,
  );
};

/** Runs the HTTP client of one measurement in a worker thread; see load-worker.mjs. */
function client<T>(job: Record<string, unknown>, onSent?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), { workerData: job });
    worker.on('message', (message: { sent?: boolean } & T) => {
      if (message.sent) onSent?.();
      else resolve(message);
    });
    worker.once('error', reject);
  });
}

interface Throughput {
  requests: number;
  errors: number;
  seconds: number;
}
const load = (url: string, connections: number, seconds: number) =>
  client<Throughput>({ mode: 'throughput', url, connections, seconds });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const store = openStateStore({ inMemory: true });
  const ids = await seedAllocations(store, ALLOCS);
  const app = await buildApp({ store });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  // 1. Read one allocation, against a bare fastify route returning the same object.
  const id = ids[ALLOCS / 2]!;
  const sameObject = allocReadView(store.allocByID(id)!);
  const bare = Fastify();
  bare.get('/alloc', (_request, reply) => reply.send(sameObject));
  await bare.listen({ host: '127.0.0.1', port: 0 });
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/alloc`;
  await load(bareUrl, 32, 1);
  await load(`${base}/v1/allocation/${id}`, 32, 1);
  const bareRun = await load(bareUrl, 32, 5);
  const berthRun = await load(`${base}/v1/allocation/${id}`, 32, 5);
  const bareRps = bareRun.requests / bareRun.seconds;
  const berthRps = berthRun.requests / berthRun.seconds;
  report(
    'read one allocation (requests/s)',
    `${berthRps.toFixed(0)} req/s, ratio ${(berthRps / bareRps).toFixed(2)}`,
    `bare fastify ${bareRps.toFixed(0)} req/s`,
    'ratio >= 0.6',
    berthRps / bareRps >= 0.6 && berthRun.errors === 0,
  );
  await bare.close();

  // 2. List with task_states=false: median latency against JSON.stringify of the same stubs.
  const listUrl = `${base}/v1/allocations?task_states=false`;
  const listRun = await client<{ times: number[]; errors: number }>({
    mode: 'latency',
    url: listUrl,
    count: 25,
  });
  if (listRun.errors) throw new Error('list requests failed');
  const latencies = listRun.times;
  const stubs = store
    .allocsByNamespace('default')
    .map((a) => allocStub(a, { resources: false, taskStates: false }));
  const stringify: number[] = [];
  for (let i = 0; i < 25; i++) {
    const t0 = performance.now();
    JSON.stringify(stubs);
    stringify.push(performance.now() - t0);
  }
  const ratio = median(latencies) / median(stringify);
  report(
    `list ${ALLOCS} allocations, task_states=false (median latency)`,
    `${median(latencies).toFixed(1)} ms, ratio ${ratio.toFixed(2)}`,
    `JSON.stringify of the stubs ${median(stringify).toFixed(1)} ms`,
    'ratio <= 2',
    ratio <= 2,
  );

  // 3. Blocking fan-out: 2,000 waiting list queries, one write.
  const index = store.tableIndex('allocs');
  const smallList = `${base}/v1/allocations?prefix=${ids[0]!.slice(0, 8)}&index=${index}&wait=60s`;
  let sentAt = 0;
  const fan = client<{ lastAnswerAt: number; errors: number; answered: number }>(
    { mode: 'fanout', url: smallList, count: 2_000 },
    () => (sentAt = Date.now()),
  );
  while (sentAt === 0) await new Promise((r) => setTimeout(r, 10));
  // Let every query reach the server and start waiting.
  await new Promise((r) => setTimeout(r, 3_000));
  const writeAt = performance.timeOrigin + performance.now();
  await store.write((tx) => {
    const alloc = tx.alloc(ids[1]!)!;
    tx.upsertAlloc({ ...alloc, ClientDescription: 'woken', ModifyIndex: tx.index });
  });
  const fanRun = await fan;
  if (fanRun.errors) throw new Error(`${fanRun.errors} blocking lists failed`);
  const fanOut = fanRun.lastAnswerAt - writeAt;
  report(
    'blocking fan-out: 2,000 waiting lists, one write',
    `${fanOut.toFixed(0)} ms until all answered`,
    '-',
    '< 500 ms',
    fanOut < 500,
  );
  await app.close();
  store.close();

  // 4. Heap per stored allocation, and the time to load them at start.
  const dir = mkdtempSync(join(os.tmpdir(), 'berth-bench-'));
  try {
    const disk = openStateStore({ dataDir: dir });
    const diskIds = await seedAllocations(disk, ALLOCS);
    disk.close();
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const t1 = performance.now();
    const loaded = openStateStore({ dataDir: dir });
    const loadMs = performance.now() - t1;
    global.gc?.();
    const perAlloc = (process.memoryUsage().heapUsed - before) / ALLOCS;
    report(
      `load ${ALLOCS} allocations from SQLite at start`,
      `${loadMs.toFixed(0)} ms`,
      '-',
      'recorded',
      true,
    );
    report(
      'heap per stored allocation (3 tasks x 10 events)',
      `${(perAlloc / 1024).toFixed(1)} KiB${global.gc ? '' : ' (no --expose-gc: approximate)'}`,
      `one allocation as JSON: ${(JSON.stringify(loaded.allocByID(diskIds[0]!)).length / 1024).toFixed(1)} KiB`,
      'recorded',
      true,
    );
    loaded.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // 5. The scheduler: placements per second.
  await benchScheduler(report);
  // The fuzz runs in a process of its own, as a server does: in this one, the heap the benchmarks
  // above left behind makes garbage-collection pauses that are no request's doing.
  const fuzz = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(new URL('./fuzz.ts', import.meta.url))],
    { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
  );
  const lines = fuzz.stdout.split('\n');
  for (const line of lines)
    if (!line.startsWith(ROWS_LINE) && !/^(ok |MISS)/.test(line)) console.log(line);
  const rowsLine = lines.find((line) => line.startsWith(ROWS_LINE));
  if (rowsLine === undefined) throw new Error(`the fuzz bench reported nothing:\n${fuzz.stdout}`);
  for (const [what, figure, baseline, target, ok] of JSON.parse(
    rowsLine.slice(ROWS_LINE.length),
  ) as [string, string, string, string, boolean][]) {
    report(what, figure, baseline, target, ok);
  }

  console.log(
    `\nMachine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`,
  );
  console.log('| benchmark | figure | baseline (same run) | target | |');
  console.log('|---|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  if (rows.some((r) => r[4] === 'MISSED')) process.exitCode = 1;
}

await main();
