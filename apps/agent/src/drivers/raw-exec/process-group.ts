// Signals to a task's whole process group: the task leads its own group (spawned detached), so a
// negative pid reaches every process it started.

/** Sends `signal` to the group led by `pgid`; false when no process of it is left. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | number): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to one process; false when it is gone. */
export function signalProcess(pid: number, signal: NodeJS.Signals | number): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves once no process of the group is left (a SIGKILLed process lingers until reaped), or
 * after `timeoutMs`: a reaper that never reaps (a container's pid 1) must not hang a stop.
 */
export async function waitGroupGone(pgid: number, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (signalGroup(pgid, 0) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
