// Signals to a task's whole process group: the task leads its own group (spawned detached), so a
// negative pid reaches every process it started.
import type { KillFn } from './proc-stat.js';

/**
 * What became of a signal: `sent`; `gone` (ESRCH: no such process or group); `refused` (EPERM:
 * the process exists but belongs to another user, so it is alive, only not this agent's to signal).
 */
export type SignalResult = 'sent' | 'gone' | 'refused';

const realKill: KillFn = (pid, signal) => process.kill(pid, signal);

/** Sends `signal` to `target` (a pid, or a negative process group ID). */
export function sendSignal(
  target: number,
  signal: NodeJS.Signals | number,
  kill: KillFn = realKill,
): SignalResult {
  try {
    kill(target, signal);
    return 'sent';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return 'gone';
    if (code === 'EPERM') return 'refused';
    throw error;
  }
}

/** Sends `signal` to the group led by `pgid`. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | number): SignalResult {
  return sendSignal(-pgid, signal);
}

/** Sends `signal` to one process. */
export function signalProcess(pid: number, signal: NodeJS.Signals | number): SignalResult {
  return sendSignal(pid, signal);
}

/**
 * Resolves once no process of the group is left (a SIGKILLed process lingers until reaped), or
 * after `timeoutMs`: a reaper that never reaps (a container's pid 1) must not hang a stop. A
 * member this agent may not signal (EPERM) is still there.
 */
export async function waitGroupGone(pgid: number, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (signalGroup(pgid, 0) !== 'gone' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
