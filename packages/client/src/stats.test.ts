import { expect, test } from 'vitest';
import { createClient } from './index.js';
import { fakeFetch, json, text } from './test-support/fake-fetch.js';

const ALLOC = '5456bd7a-9fc0-c0dd-6131-cbee77f57577';
const NODE = 'f7476465-4d6e-c0de-26d0-e383c49be941';

const usage = (rss: number, percent: number) => ({
  MemoryStats: {
    RSS: rss,
    Cache: 0,
    Swap: 0,
    MappedFile: 0,
    Usage: 0,
    MaxUsage: 0,
    KernelUsage: 0,
    KernelMaxUsage: 0,
    Measured: ['RSS', 'Swap'],
  },
  CpuStats: {
    SystemMode: 0,
    UserMode: percent,
    TotalTicks: percent * 20,
    ThrottledPeriods: 0,
    ThrottledTime: 0,
    Percent: percent,
    Measured: ['System Mode', 'User Mode', 'Percent'],
  },
  DeviceStats: [],
});

test("allocations.stats asks the allocation's stats, with task when given", async () => {
  const { fetch, sent } = fakeFetch(() =>
    json({
      ResourceUsage: usage(2048, 50),
      Tasks: { web: { ResourceUsage: usage(2048, 50), Timestamp: 7, Pids: null } },
      Timestamp: 7,
    }),
  );
  const client = createClient({ address: 'http://h', fetch });
  const { data } = await client.allocations.stats(ALLOC);
  await client.allocations.stats(ALLOC, { task: 'web' });
  expect(sent.map((r) => `${r.method} ${r.url.pathname}${r.url.search}`)).toEqual([
    `GET /v1/client/allocation/${ALLOC}/stats`,
    `GET /v1/client/allocation/${ALLOC}/stats?task=web`,
  ]);
  expect(data.Tasks.web?.ResourceUsage?.MemoryStats?.RSS).toBe(2048);
  expect(data.ResourceUsage?.CpuStats?.Percent).toBe(50);
});

test("nodes.stats asks for the node's host stats by node_id; a refusal is an error", async () => {
  const { fetch, sent } = fakeFetch((req) =>
    req.url.searchParams.get('node_id') === NODE
      ? json({
          Memory: { Total: 8, Available: 4, Used: 3, Free: 1 },
          CPU: [{ CPU: 'cpu0', User: 1, System: 2, Idle: 97, TotalPercent: 3, TotalTicks: 60 }],
          DiskStats: [],
          AllocDirStats: null,
          DeviceStats: [],
          Uptime: 100,
          Timestamp: 5,
          CPUTicksConsumed: 60,
        })
      : text(400, 'No local Node and node_id not provided'),
  );
  const client = createClient({ address: 'http://h', fetch });
  const { data } = await client.nodes.stats(NODE);
  expect(sent[0]!.url.pathname).toBe('/v1/client/stats');
  expect(data.Memory?.Total).toBe(8);
  expect(data.CPU?.[0]?.CPU).toBe('cpu0');
  await expect(client.nodes.stats('')).rejects.toThrow('No local Node and node_id not provided');
});
