// What the agent reads of Linux's /proc for resource statistics: parsers of the files' text (pure,
// tested with sample text) and the reads, each bounded. A file that is gone (a process that
// exited meanwhile) reads as nothing; any other failure is thrown with its path.
import { readdirSync, readFileSync } from 'node:fs';

/** The fields of `/proc/<pid>/stat` the stats use. */
export interface ProcessStat {
  /** Field 3: R, S, D, Z (zombie), T... */
  state: string;
  /** Field 5: the process group ID. */
  pgrp: number;
  /** Field 14: clock ticks spent in user mode. */
  utime: number;
  /** Field 15: clock ticks spent in kernel mode. */
  stime: number;
  /** Field 22: clock ticks since boot when the process started (fixed for its lifetime). */
  startTime: number;
}

/** Parses `/proc/<pid>/stat`; undefined when it is not of that form. */
export function parseProcessStat(text: string): ProcessStat | undefined {
  // The command name (field 2) is in parentheses and may hold spaces and ')': split after the last.
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const rest = text
    .slice(close + 2)
    .trim()
    .split(' ');
  const state = rest[0];
  const numbers = [rest[2], rest[11], rest[12], rest[19]].map(Number);
  if (state === undefined || state === '' || numbers.some((n) => !Number.isSafeInteger(n))) {
    return undefined;
  }
  const [pgrp, utime, stime, startTime] = numbers as [number, number, number, number];
  return { state, pgrp, utime, stime, startTime };
}

/** A process's memory from `/proc/<pid>/status`, in bytes. */
export interface ProcessMemory {
  rss: number;
  swap: number;
}

/** Parses the `VmRSS` and `VmSwap` lines of `/proc/<pid>/status` (kB); absent lines are 0. */
export function parseProcessMemory(text: string): ProcessMemory {
  const kb = parseKbLines(text, ['VmRSS', 'VmSwap']);
  return { rss: (kb.get('VmRSS') ?? 0) * 1024, swap: (kb.get('VmSwap') ?? 0) * 1024 };
}

/** The host's memory from `/proc/meminfo`, in bytes. */
export interface HostMemory {
  total: number;
  available: number;
  free: number;
  /** What programs use: total less free, buffers and caches (as gopsutil counts it). */
  used: number;
}

/** Parses `/proc/meminfo`. */
export function parseMeminfo(text: string): HostMemory {
  const names = ['MemTotal', 'MemFree', 'MemAvailable', 'Buffers', 'Cached', 'SReclaimable'];
  const kb = parseKbLines(text, names);
  const get = (name: string) => (kb.get(name) ?? 0) * 1024;
  const total = get('MemTotal');
  const free = get('MemFree');
  // Kernels before 3.14 have no MemAvailable: free plus what can be reclaimed.
  const available = kb.has('MemAvailable')
    ? get('MemAvailable')
    : free + get('Buffers') + get('Cached');
  const used = total - free - get('Buffers') - get('Cached') - get('SReclaimable');
  return { total, available, free, used: Math.max(0, used) };
}

/** `Name:   123 kB` lines, for the names asked; other lines are skipped. */
function parseKbLines(text: string, names: readonly string[]): Map<string, number> {
  const wanted = new Set(names);
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon);
    if (!wanted.has(name)) continue;
    const value = Number(
      line
        .slice(colon + 1)
        .trim()
        .split(/\s+/)[0],
    );
    if (Number.isFinite(value) && value >= 0) found.set(name, value);
  }
  return found;
}

/** One CPU's times from `/proc/stat`, in clock ticks. */
export interface CpuTimes {
  /** `cpu0`, `cpu1`... */
  cpu: string;
  user: number;
  system: number;
  idle: number;
  /** Everything but idle: user, nice, system, iowait, irq, softirq, steal (guest is in user). */
  busy: number;
}

/** Parses the per-CPU lines (`cpuN ...`) of `/proc/stat`; the summary `cpu` line is skipped. */
export function parseCpuTimes(text: string): CpuTimes[] {
  const cpus: CpuTimes[] = [];
  for (const line of text.split('\n')) {
    if (!/^cpu\d+ /.test(line)) continue;
    const [cpu, ...fields] = line.trim().split(/\s+/);
    const n = fields.map(Number);
    if (cpu === undefined || n.length < 4 || n.some((v) => !Number.isFinite(v))) continue;
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
      n;
    cpus.push({
      cpu,
      user,
      system,
      idle,
      busy: user + nice + system + iowait + irq + softirq + steal,
    });
  }
  return cpus;
}

/** Parses `/proc/uptime`: whole seconds since boot (0 when unreadable). */
export function parseUptime(text: string): number {
  const seconds = Number(text.trim().split(/\s+/)[0]);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.floor(seconds) : 0;
}

/** A mounted file system from `/proc/mounts`. */
export interface Mount {
  device: string;
  mountpoint: string;
}

/** Parses `/proc/mounts` (octal escapes such as `\040` in paths decoded). */
export function parseMounts(text: string): Mount[] {
  const unescape = (s: string) =>
    s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
  return text
    .split('\n')
    .map((line) => line.split(' '))
    .filter((f) => f.length >= 2 && f[0] !== '' && f[1] !== undefined)
    .map(([device = '', mountpoint = '']) => ({
      device: unescape(device),
      mountpoint: unescape(mountpoint),
    }));
}

/** The mount holding `path`: the one whose mount point is the longest prefix of it. */
export function mountOf(mounts: readonly Mount[], path: string): Mount | undefined {
  let best: Mount | undefined;
  for (const m of mounts) {
    const prefix = m.mountpoint.endsWith('/') ? m.mountpoint : `${m.mountpoint}/`;
    if (path !== m.mountpoint && !path.startsWith(prefix)) continue;
    // The later of two mounts on one point hides the earlier.
    if (!best || m.mountpoint.length >= best.mountpoint.length) best = m;
  }
  return best;
}

/** Reads a /proc file; undefined when it is gone (a process that exited). */
export function readProcFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return undefined;
    throw new Error(`reading ${path}: ${String(error)}`, { cause: error });
  }
}

/** Upper bound on the /proc entries examined for one scan (a host has far fewer processes). */
const MAX_PROC_ENTRIES = 1_000_000;
/** Upper bound on the members of one process group counted. */
export const MAX_GROUP_MEMBERS = 10_000;

/** One process of a group: its stat and memory. */
export interface GroupMember {
  pid: number;
  stat: ProcessStat;
  memory: ProcessMemory;
}

/**
 * The live processes of every process group in `pgids`, by group: a scan of `/proc/<pid>/stat`
 * (one scan for all groups). Zombies are left out; at most {@link MAX_GROUP_MEMBERS} per group.
 */
export function processGroupMembers(
  pgids: ReadonlySet<number>,
  procDir = '/proc',
): Map<number, GroupMember[]> {
  const groups = new Map<number, GroupMember[]>([...pgids].map((g) => [g, []]));
  if (pgids.size === 0) return groups;
  let names: string[];
  try {
    names = readdirSync(procDir);
  } catch (error) {
    // No /proc on this system: nothing is measured.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return groups;
    throw error;
  }
  for (const name of names.slice(0, MAX_PROC_ENTRIES)) {
    if (!/^\d+$/.test(name)) continue;
    const statText = readProcFile(`${procDir}/${name}/stat`);
    const stat = statText === undefined ? undefined : parseProcessStat(statText);
    if (!stat || stat.state === 'Z' || stat.state === 'X') continue;
    const members = groups.get(stat.pgrp);
    if (!members || members.length >= MAX_GROUP_MEMBERS) continue;
    const statusText = readProcFile(`${procDir}/${name}/status`);
    if (statusText === undefined) continue;
    members.push({ pid: Number(name), stat, memory: parseProcessMemory(statusText) });
  }
  return groups;
}
