// A process's identity beyond its pid: its start time from /proc/<pid>/stat, so that a re-attach
// after an agent restart never mistakes a new process that reused the pid for the task.
import { readFileSync } from 'node:fs';

interface ProcStat {
  /** Field 3: R, S, D, Z (zombie), T... */
  state: string;
  /** Field 22: clock ticks since boot; fixed for the process's lifetime. */
  startTime: string;
}

function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = rest[0];
  const startTime = rest[19];
  if (state === undefined || startTime === undefined) return undefined;
  return { state, startTime };
}

/** The process's start time, or '' where /proc is not available (then the pid alone is checked). */
export function processStartTime(pid: number): string {
  return readProcStat(pid)?.startTime ?? '';
}

/** True while the process exists, is not a zombie, and (when known) started at `startTime`. */
export function isSameProcessAlive(pid: number, startTime: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    // ESRCH: gone. EPERM: it belongs to someone else, so it cannot be our task.
    return false;
  }
  const stat = readProcStat(pid);
  if (!stat) return startTime === '';
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return startTime === '' || stat.startTime === startTime;
}
