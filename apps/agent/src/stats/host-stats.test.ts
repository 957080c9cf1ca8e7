import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { HostStatsCollector } from './host-stats.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("the host's memory, CPUs, data directory disk and uptime are sane", async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-host-'));
  const host = new HostStatsCollector({
    dataDir: dir,
    compute: () => ({ totalMHz: 4000, cores: 2 }),
  });
  const first = host.collect();
  // Asked again at once: the same collection (a CPU window that short would measure nothing).
  expect(host.collect()).toBe(first);
  await new Promise((resolve) => setTimeout(resolve, 250));
  const stats = host.collect();
  expect(stats).not.toBe(first);
  expect(stats.Memory?.Total).toBe(totalmem());
  expect(stats.Memory?.Available).toBeGreaterThan(0);
  expect(stats.Memory?.Available).toBeLessThanOrEqual(stats.Memory?.Total ?? 0);
  expect(stats.Memory?.Used).toBeLessThanOrEqual(stats.Memory?.Total ?? 0);
  expect(stats.CPU).toHaveLength(cpus().length);
  for (const cpu of stats.CPU ?? []) {
    expect(cpu.CPU).toMatch(/^cpu\d+$/);
    expect(cpu.Idle + cpu.TotalPercent).toBeLessThanOrEqual(100.0001);
  }
  expect(stats.DiskStats).toHaveLength(1);
  expect(stats.DiskStats?.[0]?.Size).toBeGreaterThan(0);
  expect(stats.AllocDirStats?.Mountpoint).toBe(join(dir, 'alloc'));
  expect(stats.Uptime).toBeGreaterThan(0);
  expect(stats.Timestamp).toBeGreaterThan(Date.now() * 1e6 - 60e9);
});
