// Finds a raw_exec task's process without its handle: the agent may be killed after spawning a
// task and before persisting the handle, and starting the task again would run it twice.
import { readdirSync, readFileSync } from 'node:fs';
import { readProcStat } from './proc-stat.js';

/** Upper bound on the processes examined (a host has far fewer; /proc is not user input). */
const MAX_PROCESSES = 1_000_000;

/**
 * The newest live process that leads its own process group (as raw_exec starts every task) and
 * was started with `NOMAD_ALLOC_ID=<allocID>` and `NOMAD_TASK_NAME=<taskName>` in its environment
 * (the environment given at exec; later changes do not show). Processes of other users are not
 * readable, so not found; neither is anything where /proc is not available.
 */
export function findTaskProcess(
  allocID: string,
  taskName: string,
): { pid: number; startTime: string } | undefined {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const wanted = [`NOMAD_ALLOC_ID=${allocID}`, `NOMAD_TASK_NAME=${taskName}`];
  let found: { pid: number; startTime: string } | undefined;
  for (const name of names.slice(0, MAX_PROCESSES)) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcStat(Number(name));
    if (!stat || stat.pgrp !== name || stat.state === 'Z' || stat.state === 'X') continue;
    const environ = readEnviron(name);
    if (!environ || !wanted.every((entry) => environ.includes(entry))) continue;
    if (!found || Number(stat.startTime) > Number(found.startTime)) {
      found = { pid: Number(name), startTime: stat.startTime };
    }
  }
  return found;
}

function readEnviron(pid: string): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  } catch (error) {
    // Gone meanwhile, or another user's.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH' || code === 'EACCES' || code === 'EPERM') {
      return undefined;
    }
    throw error;
  }
}
