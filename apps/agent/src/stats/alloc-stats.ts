// An allocation's resource usage (Nomad's allocRunner.LatestAllocStats): each running task's
// usage, measured from its process group, and their sum. Tasks with no process (not running, or
// a driver with no process such as the mock driver) are left out, as Nomad leaves out tasks with
// no usage.
import type { AllocResourceUsage, CpuStats, MemoryStats, ResourceUsage } from '@berth/contract';
import type { AllocRunner } from '../allocrunner/types.js';
import type { TaskSampler } from './task-sampler.js';

/** The process group of each running task, by name (raw_exec starts a task as its group's leader). */
export function taskProcessGroups(runner: AllocRunner): Map<string, number> {
  const groups = new Map<string, number>();
  for (const [task, handle] of Object.entries(runner.taskHandles?.() ?? {})) {
    const pid = handle?.state.pid;
    if (typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0) groups.set(task, pid);
  }
  return groups;
}

/** The usage of the allocation's running tasks (only `task`'s when it is not ''). */
export async function allocStats(
  sampler: TaskSampler,
  runner: AllocRunner,
  task: string,
): Promise<AllocResourceUsage> {
  const groups = [...taskProcessGroups(runner)].filter(([name]) => task === '' || name === task);
  const usage = await sampler.usage(
    groups.map(([name, pgid]) => ({ key: `${runner.allocID}/${name}`, pgid })),
  );
  const total: ResourceUsage = { MemoryStats: zeroMemory(), CpuStats: zeroCpu(), DeviceStats: [] };
  const answer: AllocResourceUsage = { ResourceUsage: total, Tasks: {}, Timestamp: 0 };
  for (const [name] of groups) {
    const one = usage.get(`${runner.allocID}/${name}`);
    if (!one) continue;
    answer.Tasks[name] = one;
    if (one.ResourceUsage) add(total, one.ResourceUsage);
    answer.Timestamp = Math.max(answer.Timestamp, one.Timestamp);
  }
  return answer;
}

function zeroMemory(): MemoryStats {
  return {
    RSS: 0,
    Cache: 0,
    Swap: 0,
    MappedFile: 0,
    Usage: 0,
    MaxUsage: 0,
    KernelUsage: 0,
    KernelMaxUsage: 0,
    Measured: null,
  };
}

function zeroCpu(): CpuStats {
  return {
    SystemMode: 0,
    UserMode: 0,
    TotalTicks: 0,
    ThrottledPeriods: 0,
    ThrottledTime: 0,
    Percent: 0,
    Measured: null,
  };
}

/** Nomad's ResourceUsage.Add: sums, and the union of what was measured. */
function add(total: ResourceUsage, one: ResourceUsage): void {
  const m = total.MemoryStats;
  const o = one.MemoryStats;
  if (m && o) {
    m.RSS += o.RSS;
    m.Cache += o.Cache;
    m.Swap += o.Swap;
    m.MappedFile += o.MappedFile;
    m.Usage += o.Usage;
    m.MaxUsage += o.MaxUsage;
    m.KernelUsage += o.KernelUsage;
    m.KernelMaxUsage += o.KernelMaxUsage;
    m.Measured = union(m.Measured, o.Measured);
  }
  const c = total.CpuStats;
  const p = one.CpuStats;
  if (c && p) {
    c.SystemMode += p.SystemMode;
    c.UserMode += p.UserMode;
    c.TotalTicks += p.TotalTicks;
    c.ThrottledPeriods += p.ThrottledPeriods;
    c.ThrottledTime += p.ThrottledTime;
    c.Percent += p.Percent;
    c.Measured = union(c.Measured, p.Measured);
  }
}

function union(a: string[] | null, b: string[] | null): string[] | null {
  if (!a) return b ? [...b] : null;
  return [...new Set([...a, ...(b ?? [])])];
}
