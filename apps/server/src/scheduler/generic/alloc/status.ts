// Nomad's allocation status predicates (nomad/structs/alloc.go).
import type { Allocation } from '@berth/contract';

/** The client will not run it again: complete, failed or lost. */
export function clientTerminal(a: Allocation): boolean {
  return a.ClientStatus === 'complete' || a.ClientStatus === 'failed' || a.ClientStatus === 'lost';
}

/** The servers want it stopped: DesiredStatus `stop` or `evict`. */
export function serverTerminal(a: Allocation): boolean {
  return a.DesiredStatus === 'stop' || a.DesiredStatus === 'evict';
}

/** Terminal on either side. */
export function terminal(a: Allocation): boolean {
  return serverTerminal(a) || clientTerminal(a);
}

/** Every task ran to completion without failing (Nomad's RanSuccessfully). */
export function ranSuccessfully(a: Allocation): boolean {
  const states = Object.values(a.TaskStates ?? {});
  return states.length > 0 && states.every((s) => s.State === 'dead' && !s.Failed);
}

/** The last reschedule attempt of this allocation could not place a replacement. */
export function lastRescheduleFailed(a: Allocation): boolean {
  const last = a.RescheduleTracker?.LastReschedule ?? '';
  return last !== '' && last !== 'ok';
}

/** The index in `<job>.<group>[<index>]` (Nomad's AllocIndexFromName; 0 when unreadable). */
export function allocIndexFromName(name: string, jobID: string, group: string): number {
  const prefix = jobID.length + group.length + 2;
  if (name.length <= 3 || name.length <= prefix) return 0;
  const n = Number.parseInt(name.slice(prefix, name.length - 1), 10);
  return Number.isNaN(n) || n < 0 ? 0 : n;
}

/** `<job>.<group>[<index>]`, the name of the index-th allocation of a group. */
export function allocName(jobID: string, group: string, index: number): string {
  return `${jobID}.${group}[${index}]`;
}
