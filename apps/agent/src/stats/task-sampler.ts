// A task's resource usage from its process group (Nomad's executor pid collector, procstats):
// memory as its processes' RSS and swap now, CPU as the clock ticks they used between two samples.
// Samples are taken when someone asks: each answer is measured against the previous one (when it
// is between MIN_WINDOW_MS and MAX_WINDOW_MS old); otherwise a fresh baseline is taken and the
// answer waits BASELINE_MS for a second sample.
import type { ResourceUsage, TaskResourceUsage } from '@berth/contract';
import { processGroupMembers, type GroupMember } from './proc.js';

/** Linux's USER_HZ: the unit of /proc's CPU times (100 on every architecture Node runs on). */
const TICKS_PER_SECOND = 100;
/** A window shorter than this measures too few ticks: the previous answer is given again. */
const MIN_WINDOW_MS = 200;
/** A previous sample older than this is too stale to average over; a new baseline is taken. */
const MAX_WINDOW_MS = 10_000;
/** How long a request waits between a fresh baseline and its measurement. */
const BASELINE_MS = 300;
/** Samples not asked for in this long are forgotten (their task has most likely ended). */
const FORGET_MS = 10 * 60_000;

/** Nomad's Measured lists for what berth reads of /proc. */
export const MEASURED_MEMORY: readonly string[] = ['RSS', 'Swap'];
export const MEASURED_CPU: readonly string[] = ['System Mode', 'User Mode', 'Percent'];

/** The node's compute, for ticks as Nomad counts them (MHz consumed). */
export interface NodeCompute {
  /** `cpu.totalcompute`: the MHz of every core together. */
  totalMHz: number;
  /** `cpu.numcores`. */
  cores: number;
}

/** A task to measure: a key that names it across requests and its process group. */
export interface SampledTask {
  key: string;
  pgid: number;
}

interface ProcessTicks {
  startTime: number;
  utime: number;
  stime: number;
}

interface Sample {
  /** Monotonic milliseconds. */
  at: number;
  pgid: number;
  processes: Map<number, ProcessTicks>;
  /** The usage measured at this sample (none for a baseline). */
  usage?: TaskResourceUsage;
}

export interface TaskSamplerOptions {
  compute: () => NodeCompute;
  /** Where /proc is (tests). */
  procDir?: string;
  /** Monotonic milliseconds (tests). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Keeps each task's previous sample and measures usage against it. */
export class TaskSampler {
  private readonly previous = new Map<string, Sample>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: TaskSamplerOptions) {
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The usage of each task, by key. */
  async usage(tasks: readonly SampledTask[]): Promise<Map<string, TaskResourceUsage>> {
    this.forgetStale();
    const answers = new Map<string, TaskResourceUsage>();
    let start = this.now();
    let wait = 0;
    const baselines: SampledTask[] = [];
    const measured: SampledTask[] = [];
    for (const task of tasks) {
      const prev = this.previous.get(task.key);
      const age = prev ? start - prev.at : Infinity;
      if (!prev || prev.pgid !== task.pgid || age > MAX_WINDOW_MS) {
        baselines.push(task);
        wait = Math.max(wait, BASELINE_MS);
      } else if (age < MIN_WINDOW_MS && prev.usage) {
        answers.set(task.key, prev.usage);
        continue;
      } else if (age < MIN_WINDOW_MS) {
        // Another request's baseline, still under way: measure once it is old enough.
        wait = Math.max(wait, MIN_WINDOW_MS - age);
      }
      measured.push(task);
    }
    if (baselines.length > 0) {
      const groups = processGroupMembers(
        new Set(baselines.map((t) => t.pgid)),
        this.options.procDir,
      );
      start = this.now();
      for (const task of baselines) {
        this.previous.set(task.key, sampleOf(start, task.pgid, groups.get(task.pgid) ?? []));
      }
    }
    if (measured.length === 0) return answers;
    if (wait > 0) await this.sleep(wait);
    const groups = processGroupMembers(new Set(measured.map((t) => t.pgid)), this.options.procDir);
    const at = this.now();
    const timestamp = Date.now() * 1e6;
    const compute = this.options.compute();
    for (const task of measured) {
      const members = groups.get(task.pgid) ?? [];
      const current = sampleOf(at, task.pgid, members);
      const prev = this.previous.get(task.key);
      current.usage = measure(prev, current, members, timestamp, compute);
      this.previous.set(task.key, current);
      answers.set(task.key, current.usage);
    }
    return answers;
  }

  private forgetStale(): void {
    const now = this.now();
    for (const [key, sample] of this.previous) {
      if (now - sample.at > FORGET_MS) this.previous.delete(key);
    }
  }
}

function sampleOf(at: number, pgid: number, members: readonly GroupMember[]): Sample {
  return {
    at,
    pgid,
    processes: new Map(
      members.map((m) => [
        m.pid,
        { startTime: m.stat.startTime, utime: m.stat.utime, stime: m.stat.stime },
      ]),
    ),
  };
}

/** The usage of the group between `prev` and `current`. */
function measure(
  prev: Sample | undefined,
  current: Sample,
  members: readonly GroupMember[],
  timestamp: number,
  compute: NodeCompute,
): TaskResourceUsage {
  const seconds = prev ? (current.at - prev.at) / 1000 : 0;
  const ticksPerCore = compute.cores > 0 ? compute.totalMHz / compute.cores : 0;
  const pids: Record<string, ResourceUsage> = {};
  let rss = 0;
  let swap = 0;
  let user = 0;
  let system = 0;
  for (const m of members) {
    const before = prev?.processes.get(m.pid);
    // A process absent from the previous sample (or a reused pid) started since: all its ticks
    // fall in the window.
    const same = before !== undefined && before.startTime === m.stat.startTime;
    const du = Math.max(0, m.stat.utime - (same ? before.utime : 0));
    const ds = Math.max(0, m.stat.stime - (same ? before.stime : 0));
    const userPct = percentOf(du, seconds);
    const systemPct = percentOf(ds, seconds);
    pids[String(m.pid)] = usageOf(m.memory.rss, m.memory.swap, userPct, systemPct, ticksPerCore);
    rss += m.memory.rss;
    swap += m.memory.swap;
    user += userPct;
    system += systemPct;
  }
  return {
    ResourceUsage: usageOf(rss, swap, user, system, ticksPerCore),
    Timestamp: timestamp,
    Pids: pids,
  };
}

function percentOf(ticks: number, seconds: number): number {
  if (seconds <= 0) return 0;
  return (ticks / TICKS_PER_SECOND / seconds) * 100;
}

function usageOf(
  rss: number,
  swap: number,
  userPct: number,
  systemPct: number,
  ticksPerCore: number,
): ResourceUsage {
  const percent = userPct + systemPct;
  return {
    MemoryStats: {
      RSS: rss,
      Cache: 0,
      Swap: swap,
      MappedFile: 0,
      Usage: 0,
      MaxUsage: 0,
      KernelUsage: 0,
      KernelMaxUsage: 0,
      Measured: [...MEASURED_MEMORY],
    },
    CpuStats: {
      SystemMode: systemPct,
      UserMode: userPct,
      // Nomad's cpustats.TicksConsumed: the share of one core's MHz.
      TotalTicks: (percent / 100) * ticksPerCore,
      ThrottledPeriods: 0,
      ThrottledTime: 0,
      Percent: percent,
      Measured: [...MEASURED_CPU],
    },
    DeviceStats: [],
  };
}
