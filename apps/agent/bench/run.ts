// `pnpm bench` for the node agent: one agent (its own process, started as `berth agent --client`)
// against a server in this process; 200 allocations of a raw_exec task. Measures the time from
// job registration until all are `running`, the signal round trip (API call until the process has
// recorded the signal) and the agent's memory per allocation. Prints a Markdown table.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { Allocation } from '@berth/contract';
import { startServer } from '@berth/server';
import { exited, spawnBerth } from '@berth/test-support';

const COUNT = 200;
const SIGNALS = 50;
const root = mkdtempSync(join(os.tmpdir(), 'berth-agent-bench-'));
const server = await startServer({ httpPort: 0, dataDir: join(root, 'server') });

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(server.address + path, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

async function until(done: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('benchmark condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0);
}

const agentDir = join(root, 'agent');
const { child: agent, line: agentReady } = spawnBerth(
  [
    'agent',
    '--client',
    '--servers',
    server.address,
    '--http-port',
    '0',
    '--data-dir',
    agentDir,
    '--node-name',
    'bench',
  ],
  /berth node \S+ ready/,
  { stderr: 'inherit' },
);
const rows: string[][] = [];
try {
  await agentReady;
  await new Promise((r) => setTimeout(r, 500));
  const rssBefore = rssKiB(agent.pid!);

  // A shell that appends to `signals` in its task directory when it gets SIGUSR1.
  const script =
    "trap 'echo USR1 >> signals' USR1; trap 'exit 0' INT TERM; while :; do sleep 60 & wait $!; done";
  const job = {
    ID: 'bench',
    Name: 'bench',
    Type: 'service',
    Datacenters: ['dc1'],
    TaskGroups: [
      {
        Name: 'g',
        Count: COUNT,
        Tasks: [
          {
            Name: 't',
            Driver: 'raw_exec',
            Config: { command: '/bin/sh', args: ['-c', script] },
            Resources: { CPU: 1, MemoryMB: 10 },
            KillTimeout: 1e9,
          },
        ],
      },
    ],
  };
  const t0 = performance.now();
  await api('PUT', '/v1/jobs', { Job: job });
  let allocs: Allocation[] = [];
  await until(async () => {
    allocs = await api<Allocation[]>('GET', '/v1/job/bench/allocations');
    return allocs.filter((a) => a.ClientStatus === 'running').length === COUNT;
  });
  const startMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 1000));
  const rssAfter = rssKiB(agent.pid!);

  // Signal round trip: API call until the task has appended to its file.
  const times: number[] = [];
  for (let i = 0; i < SIGNALS; i++) {
    const alloc = allocs[i % allocs.length]!;
    const file = join(agentDir, 'alloc', alloc.ID, 't', 'signals');
    const size = (() => {
      try {
        return statSync(file).size;
      } catch {
        return 0;
      }
    })();
    const s0 = performance.now();
    await api('POST', `/v1/client/allocation/${alloc.ID}/signal`, { Signal: 'SIGUSR1' });
    await until(() => {
      try {
        return Promise.resolve(statSync(file).size > size);
      } catch {
        return Promise.resolve(false);
      }
    }, 10_000);
    times.push(performance.now() - s0);
  }
  times.sort((a, b) => a - b);
  const p50 = times[Math.floor(times.length / 2)]!;
  const p99 = times[Math.floor(times.length * 0.99)]!;
  const perAlloc = (rssAfter - rssBefore) / COUNT;

  rows.push(
    ['job register until all 200 allocations `running`', `${(startMs / 1000).toFixed(2)} s`],
    [
      'signal round trip (API call until the process recorded it)',
      `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
    ],
    [
      'agent RSS per allocation',
      `${perAlloc.toFixed(0)} KiB (${(rssBefore / 1024).toFixed(0)} MiB idle, ${(rssAfter / 1024).toFixed(0)} MiB with 200)`,
    ],
  );

  // Stop everything: the job's tasks first (an agent that stops leaves its tasks running).
  await api('DELETE', '/v1/job/bench');
  await until(async () => {
    const list = await api<Allocation[]>('GET', '/v1/job/bench/allocations');
    return list.every((a) => a.ClientStatus !== 'running');
  });
} finally {
  agent.kill('SIGINT');
  await exited(agent);
  await server.close();
  rmSync(root, { recursive: true, force: true });
}

console.log(
  `\nMachine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`,
);
console.log('| benchmark | figure |');
console.log('|---|---|');
for (const [what, figure] of rows) console.log(`| ${what} | ${figure} |`);
