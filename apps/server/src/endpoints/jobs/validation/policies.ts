// Nomad's Validate of a group's (and task's) policies: RestartPolicy, ReschedulePolicy,
// EphemeralDisk, LogConfig, UpdateStrategy and MigrateStrategy, with their texts. Durations are
// nanoseconds and print as Go's time.Duration does.
import {
  formatGoDuration as d,
  formatGoInt,
  goQuote,
  type EphemeralDisk,
  type LogConfig,
  type MigrateStrategy,
  type ReschedulePolicy,
  type RestartPolicy,
  type UpdateStrategy,
} from '@berth/contract';
import { SECOND } from '../defaults.js';
import { goQuoteList } from './errors.js';

const RESTART_MIN_INTERVAL = 5 * SECOND;
const RESCHEDULE_MIN_INTERVAL = 15 * SECOND;
const RESCHEDULE_MIN_DELAY = 5 * SECOND;
const DELAY_FUNCTIONS = ['constant', 'exponential', 'fibonacci'];

export function validateRestartPolicy(r: RestartPolicy): string[] {
  const errors: string[] = [];
  if (r.Mode !== 'delay' && r.Mode !== 'fail') {
    errors.push(`Unsupported restart mode: ${goQuote(r.Mode)}`);
  }
  if (r.Attempts === 0 && r.Mode !== 'fail') {
    errors.push(
      `Restart policy ${goQuote(r.Mode)} with ${formatGoInt(r.Attempts)} attempts is ambiguous`,
    );
  }
  if (r.Interval < RESTART_MIN_INTERVAL) {
    errors.push(`Interval can not be less than ${d(RESTART_MIN_INTERVAL)} (got ${d(r.Interval)})`);
  }
  // Berth's own check: Nomad lets a negative delay through.
  if (r.Delay < 0) errors.push(`Delay can not be negative (got ${d(r.Delay)})`);
  if (r.Attempts * r.Delay > r.Interval) {
    errors.push(
      `Nomad can't restart the TaskGroup ${formatGoInt(r.Attempts)} times in an interval of ${d(r.Interval)} with a delay of ${d(r.Delay)}`,
    );
  }
  return errors;
}

/** True when the policy reschedules at all (Nomad's ReschedulePolicy.Enabled). */
export function rescheduleEnabled(r: ReschedulePolicy | null): boolean {
  return r !== null && (r.Attempts > 0 || r.Unlimited);
}

export function validateReschedulePolicy(r: ReschedulePolicy): string[] {
  if (!rescheduleEnabled(r)) return [];
  const errors: string[] = [];
  if (r.Attempts > 0) {
    if (r.Interval <= 0) errors.push('Interval must be a non zero value if Attempts > 0');
    if (r.Unlimited) {
      errors.push(
        `Reschedule Policy with Attempts = ${formatGoInt(r.Attempts)}, Interval = ${d(r.Interval)}, and Unlimited = true is ambiguous`,
      );
      errors.push('If Attempts >0, Unlimited cannot also be set to true');
    }
  }

  let delaysValid = true;
  if (r.Delay < RESCHEDULE_MIN_DELAY) {
    errors.push(`Delay cannot be less than ${d(RESCHEDULE_MIN_DELAY)} (got ${d(r.Delay)})`);
    delaysValid = false;
  }
  if (!DELAY_FUNCTIONS.includes(r.DelayFunction)) {
    errors.push(
      `Invalid delay function ${goQuote(r.DelayFunction)}, must be one of ${goQuoteList(DELAY_FUNCTIONS)}`,
    );
    delaysValid = false;
  }
  if (r.DelayFunction !== 'constant') {
    if (r.MaxDelay < RESCHEDULE_MIN_DELAY) {
      // Nomad prints the Delay here, not the MaxDelay.
      errors.push(`Max Delay cannot be less than ${d(RESCHEDULE_MIN_DELAY)} (got ${d(r.Delay)})`);
      delaysValid = false;
    }
    if (r.MaxDelay < r.Delay) {
      errors.push(`Max Delay cannot be less than Delay ${d(r.Delay)} (got ${d(r.MaxDelay)})`);
      delaysValid = false;
    }
  }

  if (!r.Unlimited) {
    if (r.Interval < RESCHEDULE_MIN_INTERVAL) {
      errors.push(
        `Interval cannot be less than ${d(RESCHEDULE_MIN_INTERVAL)} (got ${d(r.Interval)})`,
      );
    }
    if (delaysValid) errors.push(...viableAttemptsProblems(r));
  }
  return errors;
}

/**
 * Nomad's validateDelayParams: can `Attempts` delays fit in `Interval`? Nomad walks every attempt,
 * which never ends for the `Attempts` a request may send (up to 2^63); here the walk stops where
 * the delays stop changing shape (doubling or Fibonacci growth reaches `MaxDelay` within about 90
 * steps, since `Delay` is at least 5s) and the linear rest is counted in closed form, in exact
 * integers. The results are Nomad's wherever Go's int64 arithmetic does not overflow.
 */
function viableAttemptsProblems(r: ReschedulePolicy): string[] {
  // The caller has checked the delays; the walks below end only for positive ones.
  if (r.Delay < RESCHEDULE_MIN_DELAY || r.MaxDelay < 0) return [];
  const attempts = big(r.Attempts);
  const delay = big(r.Delay);
  const maxDelay = big(r.MaxDelay);
  const interval = big(r.Interval);
  let possible = 0n;
  let recommended = 0n;
  let valid = true;
  if (r.DelayFunction === 'constant') {
    recommended = attempts * delay;
    if (interval < recommended) {
      possible = interval / delay;
      valid = false;
    }
  } else if (r.DelayFunction === 'exponential') {
    // Doubling: each attempt's delay replaces the total while it stays under the ceiling.
    let i = 0n;
    for (; i < attempts && delay << i <= maxDelay; i++) {
      recommended = delay << i;
      if (recommended < interval) possible++;
    }
    // At the ceiling: each further attempt adds MaxDelay; count those still under Interval.
    const capped = attempts - i;
    if (capped > 0n) {
      if (interval > recommended) possible += min(capped, (interval - recommended - 1n) / maxDelay);
      recommended += capped * maxDelay;
    }
    valid = possible >= attempts;
  } else {
    // Fibonacci until a delay passes MaxDelay (that slot is MaxDelay), then MaxDelay more each.
    const count = attempts > 2n ? attempts : 2n;
    const slots = [delay, delay];
    let ceiling: bigint | undefined;
    while (BigInt(slots.length) < count) {
      const next = slots[slots.length - 1]! + slots[slots.length - 2]!;
      if (next > maxDelay) {
        ceiling = BigInt(slots.length);
        slots.push(maxDelay);
        break;
      }
      slots.push(next);
    }
    // Slot k at or past the ceiling slot c holds MaxDelay * (k - c + 1).
    recommended = ceiling === undefined ? slots[slots.length - 1]! : maxDelay * (count - ceiling);
    if (interval < recommended) {
      valid = false;
      const over = slots.findIndex((slot) => slot > interval);
      possible =
        over !== -1 ? BigInt(over) : ceiling === undefined ? 0n : ceiling + interval / maxDelay;
    }
  }
  if (valid) return [];
  const first =
    r.DelayFunction === 'constant'
      ? `Nomad can only make ${possible} attempts in ${d(r.Interval)} with initial delay ${d(r.Delay)} and delay function ${goQuote(r.DelayFunction)}`
      : `Nomad can only make ${possible} attempts in ${d(r.Interval)} with initial delay ${d(r.Delay)}, delay function ${goQuote(r.DelayFunction)}, and delay ceiling ${d(r.MaxDelay)}`;
  // Go's Duration.Round(time.Second): halves round up.
  const second = BigInt(SECOND);
  const rest = recommended % second;
  const rounded = recommended - rest + (rest * 2n >= second ? second : 0n);
  return [
    first,
    `Set the interval to at least ${d(rounded)} to accommodate ${formatGoInt(r.Attempts)} attempts`,
  ];
}

/** A whole number of a policy as an exact integer (the decoder lets only integers in). */
function big(n: number): bigint {
  return BigInt(Number.isFinite(n) ? Math.trunc(n) : 0);
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function validateEphemeralDisk(disk: EphemeralDisk): string[] {
  return disk.SizeMB < 10 ? [`minimum DiskMB value is 10; got ${formatGoInt(disk.SizeMB)}`] : [];
}

export function validateLogConfig(log: LogConfig, disk: EphemeralDisk | null): string[] {
  const errors: string[] = [];
  if (log.MaxFiles < 1)
    errors.push(`minimum number of files is 1; got ${formatGoInt(log.MaxFiles)}`);
  if (log.MaxFileSizeMB < 1)
    errors.push(`minimum file size is 1MB; got ${formatGoInt(log.MaxFileSizeMB)}`);
  const usage = log.MaxFiles * log.MaxFileSizeMB;
  if (disk && disk.SizeMB <= usage) {
    errors.push(
      `log storage (${formatGoInt(usage)} MB) must be less than requested disk capacity (${formatGoInt(disk.SizeMB)} MB)`,
    );
  }
  return errors;
}

export function validateUpdateStrategy(u: UpdateStrategy): string[] {
  const errors: string[] = [];
  if (!['checks', 'task_states', 'manual'].includes(u.HealthCheck)) {
    errors.push(`Invalid health check given: ${goQuote(u.HealthCheck)}`);
  }
  if (u.MaxParallel < 0) {
    errors.push(`Max parallel can not be less than zero: ${formatGoInt(u.MaxParallel)} < 0`);
  }
  if (u.Canary < 0)
    errors.push(`Canary count can not be less than zero: ${formatGoInt(u.Canary)} < 0`);
  if (u.Canary === 0 && u.AutoPromote) {
    errors.push('Auto Promote requires a Canary count greater than zero');
  }
  if (u.MinHealthyTime < 0) {
    errors.push(`Minimum healthy time may not be less than zero: ${d(u.MinHealthyTime)}`);
  }
  if (u.HealthyDeadline <= 0) {
    errors.push(`Healthy deadline must be greater than zero: ${d(u.HealthyDeadline)}`);
  }
  if (u.ProgressDeadline < 0) {
    errors.push(`Progress deadline must be zero or greater: ${d(u.ProgressDeadline)}`);
  }
  if (u.MinHealthyTime >= u.HealthyDeadline) {
    errors.push(
      `Minimum healthy time must be less than healthy deadline: ${d(u.MinHealthyTime)} > ${d(u.HealthyDeadline)}`,
    );
  }
  if (u.ProgressDeadline !== 0 && u.HealthyDeadline >= u.ProgressDeadline) {
    errors.push(
      `Healthy deadline must be less than progress deadline: ${d(u.HealthyDeadline)} > ${d(u.ProgressDeadline)}`,
    );
  }
  if (u.Stagger <= 0) errors.push(`Stagger must be greater than zero: ${d(u.Stagger)}`);
  return errors;
}

export function validateMigrateStrategy(m: MigrateStrategy): string[] {
  const errors: string[] = [];
  if (m.MaxParallel < 0)
    errors.push(`MaxParallel must be >= 0 but found ${formatGoInt(m.MaxParallel)}`);
  if (m.HealthCheck === '') {
    if (m.MaxParallel > 0) errors.push('Missing HealthCheck');
  } else if (m.HealthCheck !== 'checks' && m.HealthCheck !== 'task_states') {
    errors.push(`Invalid HealthCheck: ${goQuote(m.HealthCheck)}`);
  }
  if (m.MinHealthyTime < 0) {
    errors.push(`MinHealthyTime is ${d(m.MinHealthyTime)} and must be >= 0`);
  }
  if (m.HealthyDeadline < 0) {
    errors.push(`HealthyDeadline is ${d(m.HealthyDeadline)} and must be >= 0`);
  }
  if (m.MinHealthyTime > m.HealthyDeadline) {
    errors.push('MinHealthyTime must be less than HealthyDeadline');
  }
  return errors;
}
