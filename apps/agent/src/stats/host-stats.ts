// The host's statistics (Nomad's client/hoststats HostStatsCollector): memory from
// /proc/meminfo, each CPU's use since the previous collection from /proc/stat, the file system of
// the data directory (statfs), uptime from /proc/uptime. Collected when asked.
import type { HostCPUStats, HostDiskStats, HostStats } from '@berth/contract';
import { statfsSync } from 'node:fs';
import { join } from 'node:path';
import {
  mountOf,
  parseCpuTimes,
  parseMeminfo,
  parseMounts,
  parseUptime,
  readProcFile,
  type CpuTimes,
} from './proc.js';
import type { NodeCompute } from './task-sampler.js';

export interface HostStatsOptions {
  /** The agent's data directory; allocations live in `<dataDir>/alloc`. */
  dataDir: string;
  compute: () => NodeCompute;
  /** Where /proc is (tests). */
  procDir?: string;
}

/** A collection younger than this is given again: a shorter CPU window measures too little. */
const MIN_WINDOW_MS = 200;

/** Collects the host's statistics; CPU use is measured since the previous collection. */
export class HostStatsCollector {
  private previous = new Map<string, CpuTimes>();
  private last: { at: number; stats: HostStats } | undefined;

  constructor(private readonly options: HostStatsOptions) {}

  collect(): HostStats {
    const now = performance.now();
    if (this.last && now - this.last.at < MIN_WINDOW_MS) return this.last.stats;
    const stats = this.measure();
    this.last = { at: now, stats };
    return stats;
  }

  private measure(): HostStats {
    const proc = this.options.procDir ?? '/proc';
    const meminfo = readProcFile(`${proc}/meminfo`);
    const memory = meminfo === undefined ? undefined : parseMeminfo(meminfo);
    const { cpus, ticks } = this.cpuStats(readProcFile(`${proc}/stat`) ?? '');
    const disk = this.diskStats(readProcFile(`${proc}/mounts`) ?? '');
    return {
      Memory: memory
        ? { Total: memory.total, Available: memory.available, Used: memory.used, Free: memory.free }
        : { Total: 0, Available: 0, Used: 0, Free: 0 },
      CPU: cpus,
      DiskStats: disk ? [disk.mount] : [],
      AllocDirStats: disk?.allocDir ?? null,
      DeviceStats: [],
      Uptime: parseUptime(readProcFile(`${proc}/uptime`) ?? ''),
      Timestamp: Date.now() * 1e6,
      CPUTicksConsumed: ticks,
    };
  }

  /** Each CPU's percentages since the previous call (since boot on the first). */
  private cpuStats(text: string): { cpus: HostCPUStats[]; ticks: number } {
    const times = parseCpuTimes(text);
    const { totalMHz } = this.options.compute();
    const perCpuMHz = times.length > 0 ? totalMHz / times.length : 0;
    const next = new Map<string, CpuTimes>();
    let ticks = 0;
    const cpus = times.map((now): HostCPUStats => {
      next.set(now.cpu, now);
      const before = this.previous.get(now.cpu);
      const delta = (a: number, b: number | undefined) => a - (b ?? 0);
      const total = delta(now.idle + now.busy, before && before.idle + before.busy);
      // As Nomad's calculator: an empty or backwards window reads as idle.
      const pct = (v: number) => (total > 0 && v >= 0 ? (v / total) * 100 : 0);
      const idle = total > 0 ? pct(delta(now.idle, before?.idle)) : 100;
      const busy = pct(delta(now.busy, before?.busy));
      ticks += (busy / 100) * perCpuMHz;
      return {
        CPU: now.cpu,
        User: pct(delta(now.user, before?.user)),
        System: pct(delta(now.system, before?.system)),
        Idle: idle,
        TotalPercent: busy,
        TotalTicks: (busy / 100) * perCpuMHz,
      };
    });
    this.previous = next;
    return { cpus, ticks };
  }

  /** The file system holding the data directory, and the allocations' directory on it. */
  private diskStats(
    mountsText: string,
  ): { mount: HostDiskStats; allocDir: HostDiskStats } | undefined {
    const dataDir = this.options.dataDir;
    const mount = mountOf(parseMounts(mountsText), dataDir);
    const usage = statfsUsage(dataDir);
    if (!usage) return undefined;
    return {
      mount: { Device: mount?.device ?? '', Mountpoint: mount?.mountpoint ?? dataDir, ...usage },
      allocDir: { Device: '', Mountpoint: join(dataDir, 'alloc'), ...usage },
    };
  }
}

type Usage = Omit<HostDiskStats, 'Device' | 'Mountpoint'>;

/** A file system's use as gopsutil's disk.Usage computes it; undefined when it cannot be read. */
function statfsUsage(path: string): Usage | undefined {
  let fs;
  try {
    fs = statfsSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOSYS') return undefined;
    throw new Error(`statfs of ${path}: ${String(error)}`, { cause: error });
  }
  const size = fs.blocks * fs.bsize;
  const available = fs.bavail * fs.bsize;
  const used = (fs.blocks - fs.bfree) * fs.bsize;
  const inodesUsed = fs.files - fs.ffree;
  return {
    Size: size,
    Used: used,
    Available: available,
    UsedPercent: used + available > 0 ? (used / (used + available)) * 100 : 0,
    InodesUsedPercent: fs.files > 0 ? (inodesUsed / fs.files) * 100 : 0,
  };
}
