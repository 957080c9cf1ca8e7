// Nomad's reschedule policy arithmetic (nomad/structs/alloc.go, structs.go): when a failed
// allocation may be replaced, after what delay, and the RescheduleTracker its replacement carries.
import type { Allocation, ReschedulePolicy, RescheduleTracker } from '@berth/contract';

import { lastRescheduleFailed } from '../alloc/status.js';
import { MAX_PAST_RESCHEDULE_EVENTS, LAST_RESCHEDULE_SUCCESS } from '../constants.js';
import { nanosFromRfc3339 } from '../time.js';

const SECOND = 1_000_000_000;
const HOUR = 3600 * SECOND;

/** Nomad's DefaultServiceJobReschedulePolicy. */
export const DEFAULT_SERVICE_RESCHEDULE_POLICY: ReschedulePolicy = {
  Attempts: 0,
  Interval: 0,
  Delay: 30 * SECOND,
  DelayFunction: 'exponential',
  MaxDelay: HOUR,
  Unlimited: true,
};

/** Nomad's DefaultBatchJobReschedulePolicy. */
export const DEFAULT_BATCH_RESCHEDULE_POLICY: ReschedulePolicy = {
  Attempts: 1,
  Interval: 24 * HOUR,
  Delay: 5 * SECOND,
  DelayFunction: 'constant',
  MaxDelay: 0,
  Unlimited: false,
};

/**
 * The policy that governs `alloc`: its group's (in the job version it runs), else the job's, else
 * Nomad's default for the job type. `null` when the group no longer exists.
 */
export function reschedulePolicyOf(alloc: Allocation): ReschedulePolicy | null {
  const job = alloc.Job;
  const tg = job?.TaskGroups?.find((g) => g.Name === alloc.TaskGroup);
  if (job === null || tg === undefined) return null;
  if (tg.ReschedulePolicy !== null) return tg.ReschedulePolicy;
  if (job.Reschedule !== null) return job.Reschedule;
  return job.Type === 'batch' ? DEFAULT_BATCH_RESCHEDULE_POLICY : DEFAULT_SERVICE_RESCHEDULE_POLICY;
}

/** When the allocation last stopped: the latest task FinishedAt, else its ModifyTime (ns). */
export function lastEventTime(alloc: Allocation): number {
  let last: number | undefined;
  for (const state of Object.values(alloc.TaskStates ?? {})) {
    const t = nanosFromRfc3339(state.FinishedAt);
    if (t !== undefined && (last === undefined || t > last)) last = t;
  }
  return last ?? alloc.ModifyTime;
}

/** The delay before the next reschedule (Nomad's NextDelay): constant, doubling or Fibonacci, capped. */
export function nextDelay(alloc: Allocation): number {
  const policy = reschedulePolicyOf(alloc);
  if (policy === null) return 0;
  const events = alloc.RescheduleTracker?.Events ?? [];
  if (events.length === 0) return policy.Delay;
  const last = events[events.length - 1];
  if (last === undefined) return policy.Delay;
  let delay: number;
  switch (policy.DelayFunction) {
    case 'exponential':
      delay = last.Delay * 2;
      break;
    case 'fibonacci': {
      delay = policy.Delay;
      const prev = events[events.length - 2];
      if (prev !== undefined) {
        // After the cap was reached and the delay reset, a new series starts.
        delay =
          prev.Delay === policy.MaxDelay && last.Delay === policy.Delay
            ? last.Delay
            : last.Delay + prev.Delay;
      }
      break;
    }
    default:
      return policy.Delay;
  }
  if (policy.MaxDelay > 0 && delay > policy.MaxDelay) {
    delay = policy.MaxDelay;
    // Reset to the base delay once the allocation ran longer than the cap since its last reschedule.
    if (lastEventTime(alloc) - last.RescheduleTime > delay) delay = policy.Delay;
  }
  return delay;
}

/** Reschedules counted against `Attempts`: events within `Interval` before `failTime`. */
function attemptedWithin(
  tracker: RescheduleTracker | null,
  policy: ReschedulePolicy,
  failTime: number,
): number {
  if (tracker === null || policy.Attempts <= 0) return 0;
  let attempted = 0;
  for (const e of tracker.Events ?? [])
    if (failTime - e.RescheduleTime < policy.Interval) attempted++;
  return attempted;
}

/**
 * When a failed allocation may be replaced, and whether it may be at all (Nomad's
 * NextRescheduleTime): `eligible` false when rescheduling is off or attempts are used up.
 */
export function nextRescheduleTime(alloc: Allocation): { time: number; eligible: boolean } {
  const policy = reschedulePolicyOf(alloc);
  const failTime = lastEventTime(alloc);
  const rescheduledBatch =
    alloc.Job?.Type === 'batch' && alloc.DesiredTransition.Reschedule === true;
  if (policy === null || (policy.Attempts === 0 && !policy.Unlimited))
    return { time: 0, eligible: false };
  if (
    (alloc.DesiredStatus === 'stop' && !lastRescheduleFailed(alloc)) ||
    (!rescheduledBatch && alloc.ClientStatus !== 'failed' && alloc.ClientStatus !== 'lost') ||
    failTime === 0
  ) {
    return { time: 0, eligible: false };
  }
  const delay = nextDelay(alloc);
  const tracker = alloc.RescheduleTracker;
  const events = tracker?.Events ?? [];
  // A tracker without events (a replacement that did not fit) counts as no tracker; Nomad's
  // check would leave such an allocation never rescheduled.
  let eligible = policy.Unlimited || (policy.Attempts > 0 && events.length === 0);
  if (policy.Attempts > 0 && events.length > 0) {
    eligible =
      attemptedWithin(tracker, policy, failTime) < policy.Attempts && delay < policy.Interval;
  }
  return { time: failTime + delay, eligible };
}

/**
 * The RescheduleTracker of the replacement of `prev` (Nomad's UpdateRescheduleTracker): the
 * previous events still within the interval (the last five when unlimited), plus this one.
 */
export function replacementTracker(prev: Allocation, now: number): RescheduleTracker {
  const policy = reschedulePolicyOf(prev);
  const events = [];
  const past = prev.RescheduleTracker?.Events ?? [];
  if (policy !== null && policy.Attempts > 0) {
    for (const e of past) {
      if (policy.Interval > 0 && now - e.RescheduleTime <= policy.Interval) events.push({ ...e });
    }
  } else {
    for (const e of past.slice(-MAX_PAST_RESCHEDULE_EVENTS)) events.push({ ...e });
  }
  events.push({
    RescheduleTime: now,
    PrevAllocID: prev.ID,
    PrevNodeID: prev.NodeID,
    Delay: nextDelay(prev),
  });
  return { Events: events, LastReschedule: LAST_RESCHEDULE_SUCCESS };
}
