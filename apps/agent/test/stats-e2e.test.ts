// Resource statistics end to end: a real server with ACLs on and a real agent running a raw_exec
// task that holds memory and burns CPU when told to (a control file). Asked through the server
// (which forwards to the node) and through the agent's own address, as Nomad's clients ask.
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import type { AllocResourceUsage, Allocation, HostStats, Job } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAgent } from '../src/agent.js';
import { startCluster, waitFor, type Cluster } from './support/cluster.js';

/** The task: its pid in `pids` (the cluster's close kills it), 48 MiB held, CPU burnt while `burn` exists. */
const TASK = `
const fs = require('fs');
const [burn, pids] = process.argv.slice(1);
fs.appendFileSync(pids, process.pid + '\\n');
const held = Buffer.alloc(48 * 1024 * 1024, 1);
setInterval(() => {
  if (!fs.existsSync(burn)) return;
  const end = Date.now() + 90;
  while (Date.now() < end) held[0] ^= 1;
}, 100);
`;

// Nomad's JSON fields of these structs (client/structs, client/hoststats).
const FIELDS = {
  AllocResourceUsage: ['ResourceUsage', 'Tasks', 'Timestamp'],
  TaskResourceUsage: ['ResourceUsage', 'Timestamp', 'Pids'],
  ResourceUsage: ['MemoryStats', 'CpuStats', 'DeviceStats'],
  MemoryStats: [
    ...['RSS', 'Cache', 'Swap', 'MappedFile', 'Usage', 'MaxUsage'],
    ...['KernelUsage', 'KernelMaxUsage', 'Measured'],
  ],
  CpuStats: [
    ...['SystemMode', 'UserMode', 'TotalTicks', 'ThrottledPeriods', 'ThrottledTime'],
    ...['Percent', 'Measured'],
  ],
  HostStats: [
    ...['Memory', 'CPU', 'DiskStats', 'AllocDirStats', 'DeviceStats', 'Uptime'],
    ...['Timestamp', 'CPUTicksConsumed'],
  ],
  HostMemoryStats: ['Total', 'Available', 'Used', 'Free'],
  HostCPUStats: ['CPU', 'User', 'System', 'Idle', 'TotalPercent', 'TotalTicks'],
  HostDiskStats: [
    ...['Device', 'Mountpoint', 'Size', 'Used', 'Available', 'UsedPercent'],
    'InodesUsedPercent',
  ],
};
const keysOf = (o: unknown) => Object.keys(o as object).sort();
const sorted = (k: string[]) => [...k].sort();

let cluster: Cluster;
let agent: RunningAgent;
let management: string;
let readJob: string;
let lifecycleOnly: string;
let nodeRead: string;
let alloc: Allocation;
let burnFile: string;

/** A GET with `token` against `base`: the status and the parsed body (text for errors). */
async function get(base: string, path: string, token: string) {
  const res = await fetch(base + path, { headers: { 'X-Nomad-Token': token } });
  const text = await res.text();
  return { status: res.status, body: res.ok ? (JSON.parse(text) as unknown) : text };
}

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(cluster.server.address + path, {
    method,
    headers: { 'X-Nomad-Token': token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as unknown;
}

async function tokenFor(name: string, rules: string): Promise<string> {
  await call('POST', `/v1/acl/policy/${name}`, management, { Name: name, Rules: rules });
  const token = (await call('POST', '/v1/acl/token', management, {
    Name: name,
    Type: 'client',
    Policies: [name],
  })) as { SecretID: string };
  return token.SecretID;
}

const agentBase = () => `http://${agent.httpAddr}`;
const statsPath = () => `/v1/client/allocation/${alloc.ID}/stats`;

async function allocStats(base: string): Promise<AllocResourceUsage> {
  const answer = await get(base, statsPath(), readJob);
  expect(answer.status, String(answer.body)).toBe(200);
  return answer.body as AllocResourceUsage;
}

beforeAll(async () => {
  cluster = await startCluster({}, { acl: true });
  const boot = (await call('POST', '/v1/acl/bootstrap', '')) as { SecretID: string };
  management = boot.SecretID;
  agent = await cluster.startAgent('n1', { token: management });
  readJob = await tokenFor('read-job', 'namespace "default" { capabilities = ["read-job"] }');
  lifecycleOnly = await tokenFor(
    'lifecycle',
    'namespace "default" { capabilities = ["alloc-lifecycle"] }',
  );
  nodeRead = await tokenFor('node-read', 'node { policy = "read" }');

  burnFile = join(cluster.root, 'burn');
  const job = {
    ID: 'burner',
    Name: 'burner',
    Type: 'service',
    Datacenters: ['dc1'],
    TaskGroups: [
      {
        Name: 'app',
        Count: 1,
        RestartPolicy: { Attempts: 0, Interval: 60e9, Delay: 1e9, Mode: 'fail' },
        Tasks: [
          {
            Name: 'burn',
            Driver: 'raw_exec',
            Config: {
              command: process.execPath,
              args: ['-e', TASK, burnFile, join(cluster.root, 'burner-pids')],
            },
            Resources: { CPU: 100, MemoryMB: 128 },
            KillTimeout: 2e9,
          },
        ],
      },
    ],
  } as unknown as Partial<Job>;
  await call('PUT', '/v1/jobs', management, { Job: job });
  const allocs = await waitFor(
    async () => (await call('GET', '/v1/job/burner/allocations', management)) as Allocation[],
    (a) => a.some((x) => x.ClientStatus === 'running'),
    30_000,
  );
  alloc = allocs.find((x) => x.ClientStatus === 'running')!;
}, 60_000);

afterAll(async () => {
  rmSync(burnFile, { force: true });
  await cluster?.close();
});

describe('allocation stats', () => {
  it('shows the task holding memory, and CPU use that rises when it burns CPU', async () => {
    for (const base of [cluster.server.address, agentBase()]) {
      rmSync(burnFile, { force: true });
      // Idle: next to no CPU, its memory held.
      const idle = await waitFor(
        () => allocStats(base),
        (s) => (s.Tasks.burn?.ResourceUsage?.CpuStats?.Percent ?? 100) < 15,
        30_000,
      );
      const task = idle.Tasks.burn!;
      expect(task.ResourceUsage?.MemoryStats?.RSS).toBeGreaterThan(48 * 1024 * 1024);
      expect(task.ResourceUsage?.MemoryStats?.Measured).toEqual(['RSS', 'Swap']);
      expect(task.ResourceUsage?.CpuStats?.Measured).toEqual([
        'System Mode',
        'User Mode',
        'Percent',
      ]);
      expect(idle.ResourceUsage?.MemoryStats?.RSS).toBe(task.ResourceUsage?.MemoryStats?.RSS);
      expect(idle.Timestamp).toBe(task.Timestamp);

      // Burning: the percent rises, and the ticks with it (MHz of the node's compute).
      writeFileSync(burnFile, '');
      const busy = await waitFor(
        () => allocStats(base),
        (s) => (s.Tasks.burn?.ResourceUsage?.CpuStats?.Percent ?? 0) > 30,
        30_000,
      );
      const cpu = busy.Tasks.burn!.ResourceUsage!.CpuStats!;
      expect(cpu.UserMode).toBeGreaterThan(0);
      expect(cpu.TotalTicks).toBeGreaterThan(0);
      expect(busy.ResourceUsage?.CpuStats?.Percent).toBe(cpu.Percent);
    }
    rmSync(burnFile, { force: true });
  }, 120_000);

  it("carries Nomad's fields, and `task` filters", async () => {
    const stats = await allocStats(cluster.server.address);
    expect(keysOf(stats)).toEqual(sorted(FIELDS.AllocResourceUsage));
    const task = stats.Tasks.burn!;
    expect(keysOf(task)).toEqual(sorted(FIELDS.TaskResourceUsage));
    expect(keysOf(task.ResourceUsage)).toEqual(sorted(FIELDS.ResourceUsage));
    expect(keysOf(task.ResourceUsage?.MemoryStats)).toEqual(sorted(FIELDS.MemoryStats));
    expect(keysOf(task.ResourceUsage?.CpuStats)).toEqual(sorted(FIELDS.CpuStats));
    const other = await get(cluster.server.address, `${statsPath()}?task=nope`, readJob);
    expect(other.status).toBe(200);
    expect((other.body as AllocResourceUsage).Tasks).toEqual({});
  });

  it('is refused without read-job, on the server and on the agent; an unknown allocation is 404', async () => {
    for (const base of [cluster.server.address, agentBase()]) {
      expect(await get(base, statsPath(), lifecycleOnly)).toEqual({
        status: 403,
        body: 'Permission denied',
      });
      expect(await get(base, statsPath(), nodeRead)).toEqual({
        status: 403,
        body: 'Permission denied',
      });
      const missing = '8a9f3c1e-0000-4000-8000-000000000000';
      expect(await get(base, `/v1/client/allocation/${missing}/stats`, readJob)).toEqual({
        status: 404,
        body: `Unknown allocation "${missing}"`,
      });
    }
  });
});

describe('host stats', () => {
  it('has sane totals, from the agent itself and through the server with node_id', async () => {
    const answers = [
      await get(agentBase(), '/v1/client/stats', nodeRead),
      await get(cluster.server.address, `/v1/client/stats?node_id=${agent.nodeID}`, nodeRead),
    ];
    for (const answer of answers) {
      expect(answer.status, String(answer.body)).toBe(200);
      const host = answer.body as HostStats;
      expect(keysOf(host)).toEqual(sorted(FIELDS.HostStats));
      expect(keysOf(host.Memory)).toEqual(sorted(FIELDS.HostMemoryStats));
      expect(host.Memory?.Total).toBe(totalmem());
      expect(host.Memory?.Available).toBeGreaterThan(0);
      expect(host.Memory?.Available).toBeLessThanOrEqual(totalmem());
      expect(host.CPU).toHaveLength(cpus().length);
      expect(keysOf(host.CPU?.[0])).toEqual(sorted(FIELDS.HostCPUStats));
      expect(host.DiskStats?.[0]?.Size).toBeGreaterThan(0);
      expect(keysOf(host.DiskStats?.[0])).toEqual(sorted(FIELDS.HostDiskStats));
      expect(host.AllocDirStats?.Size).toBe(host.DiskStats?.[0]?.Size);
      expect(host.Uptime).toBeGreaterThan(0);
    }
  });

  it('needs node:read; a server needs node_id; an unknown node is 404', async () => {
    for (const base of [agentBase(), cluster.server.address]) {
      expect(await get(base, `/v1/client/stats?node_id=${agent.nodeID}`, readJob)).toEqual({
        status: 403,
        body: 'Permission denied',
      });
    }
    expect(await get(cluster.server.address, '/v1/client/stats', nodeRead)).toEqual({
      status: 400,
      body: 'No local Node and node_id not provided',
    });
    const ghost = '8a9f3c1e-0000-4000-8000-000000000001';
    expect(
      await get(cluster.server.address, `/v1/client/stats?node_id=${ghost}`, nodeRead),
    ).toEqual({
      status: 404,
      body: `Unknown node ${ghost}`,
    });
  });
});

describe("another node's stats, asked of an agent", () => {
  it("are asked of the servers with the caller's token, as Nomad's client does", async () => {
    const other = await cluster.startAgent('n2', { token: management });
    const base = `http://${other.httpAddr}`;
    const stats = await allocStats(base);
    expect(stats.Tasks.burn?.ResourceUsage?.MemoryStats?.RSS).toBeGreaterThan(48 * 1024 * 1024);
    expect(await get(base, statsPath(), lifecycleOnly)).toEqual({
      status: 403,
      body: 'Permission denied',
    });
    const host = await get(base, `/v1/client/stats?node_id=${agent.nodeID}`, nodeRead);
    expect(host.status, String(host.body)).toBe(200);
    expect((host.body as HostStats).Memory?.Total).toBe(totalmem());
    expect(await get(base, `/v1/client/stats?node_id=${agent.nodeID}`, readJob)).toEqual({
      status: 403,
      body: 'Permission denied',
    });
  });
});
