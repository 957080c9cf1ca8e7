import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, expect, test } from 'vitest';
import { TaskSampler } from './task-sampler.js';

const compute = () => ({ totalMHz: 8000, cores: 4 });
let child: ChildProcess | undefined;
afterEach(() => {
  // The whole group: the shell and anything it started.
  if (child?.pid) process.kill(-child.pid, 'SIGKILL');
  child = undefined;
});

/** A process leading its own group, as raw_exec starts a task. */
function startGroup(script: string): number {
  child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
  if (child.pid === undefined) throw new Error('no pid');
  return child.pid;
}

test("a busy group's CPU percent and ticks, measured between two samples; its memory", async () => {
  const pgid = startGroup('while :; do :; done');
  const sampler = new TaskSampler({ compute });
  const usage = (await sampler.usage([{ key: 'a/busy', pgid }])).get('a/busy');
  const cpu = usage?.ResourceUsage?.CpuStats;
  expect(cpu?.Percent).toBeGreaterThan(1);
  expect(cpu?.Percent).toBeLessThan(150);
  expect(cpu?.UserMode).toBeGreaterThan(0);
  // Nomad's ticks: the share of one core's MHz (8000 MHz over 4 cores).
  expect(cpu?.TotalTicks).toBeCloseTo(((cpu?.Percent ?? 0) / 100) * 2000, 5);
  expect(cpu?.Measured).toEqual(['System Mode', 'User Mode', 'Percent']);
  expect(usage?.ResourceUsage?.MemoryStats?.RSS).toBeGreaterThan(0);
  expect(Object.keys(usage?.Pids ?? {})).toContain(String(pgid));
});

test('an idle group uses next to no CPU; a group with no process measures nothing', async () => {
  const pgid = startGroup('sleep 30');
  const sampler = new TaskSampler({ compute });
  const usage = await sampler.usage([
    { key: 'a/idle', pgid },
    { key: 'a/gone', pgid: 2 ** 30 },
  ]);
  expect(usage.get('a/idle')?.ResourceUsage?.CpuStats?.Percent).toBeLessThan(10);
  expect(usage.get('a/gone')?.ResourceUsage?.MemoryStats?.RSS).toBe(0);
  expect(usage.get('a/gone')?.Pids).toEqual({});
});
