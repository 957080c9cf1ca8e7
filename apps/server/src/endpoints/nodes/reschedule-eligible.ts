// Nomad's Allocation.RescheduleEligible (nomad/structs/alloc.go): whether a failed allocation may
// still be replaced under its group's reschedule policy, counting the attempts in the interval.
import type { Allocation, ReschedulePolicy } from '@berth/contract';

export function rescheduleEligible(
  alloc: Allocation,
  policy: ReschedulePolicy | null,
  failTimeNs: number,
): boolean {
  if (policy === null) return false;
  if (policy.Unlimited) return true;
  if (policy.Attempts <= 0) return false;
  const events = alloc.RescheduleTracker?.Events ?? [];
  const attempted = events.filter((e) => failTimeNs - e.RescheduleTime < policy.Interval).length;
  return attempted < policy.Attempts;
}
