// A process's identity beyond its pid: its start time from /proc/<pid>/stat, so that a re-attach
// after an agent restart never mistakes a new process that reused the pid for the task.
import { readFileSync } from 'node:fs';

interface ProcStat {
  /** Field 3: R, S, D, Z (zombie), T... */
  state: string;
  /** Field 5: the process group ID. */
  pgrp: string;
  /** Field 22: clock ticks since boot; fixed for the process's lifetime. */
  startTime: string;
}

/** `process.kill`, or a stand-in for tests. */
export type KillFn = (pid: number, signal: NodeJS.Signals | number) => unknown;

const realKill: KillFn = (pid, signal) => process.kill(pid, signal);

export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    // Gone meanwhile, or no /proc on this system: the caller falls back to the pid alone.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH' || code === 'EACCES' || code === 'ENOTDIR') {
      return undefined;
    }
    throw error;
  }
  // The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = rest[0];
  const pgrp = rest[2];
  const startTime = rest[19];
  if (state === undefined || pgrp === undefined || startTime === undefined) return undefined;
  return { state, pgrp, startTime };
}

/** The process's start time, or '' where /proc is not available (then the pid alone is checked). */
export function processStartTime(pid: number): string {
  return readProcStat(pid)?.startTime ?? '';
}

/**
 * What runs at a task's recorded pid now:
 * - `running`: the task's own process (same start time, or the pid alone where none is known);
 * - `exited`: no process, or a zombie;
 * - `reused`: another process has the pid (another start time, or another user's process where
 *   the start time is unknown: raw_exec runs tasks as the agent's user). It is not the task, so it
 *   must be neither re-attached nor signalled, and the task itself is gone.
 */
export type PidStatus = 'running' | 'exited' | 'reused';

export function pidStatus(pid: number, startTime: string, kill: KillFn = realKill): PidStatus {
  let foreign = false;
  try {
    kill(pid, 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return 'exited';
    // EPERM: a process exists there that this agent may not signal. It is the task only if it
    // started when the task did (a task that changed its user); else the pid was reused.
    if (code !== 'EPERM') throw error;
    foreign = true;
  }
  const stat = readProcStat(pid);
  if (!stat) {
    // Another user's process hidden from /proc (hidepid), or ours that exited since the probe.
    if (foreign) return 'reused';
    return startTime === '' ? 'running' : 'exited';
  }
  if (stat.state === 'Z' || stat.state === 'X') return 'exited';
  if (startTime === '') return foreign ? 'reused' : 'running';
  return stat.startTime === startTime ? 'running' : 'reused';
}
