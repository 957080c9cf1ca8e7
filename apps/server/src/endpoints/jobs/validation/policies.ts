// Nomad's Validate of a group's (and task's) policies: RestartPolicy, ReschedulePolicy,
// EphemeralDisk, LogConfig, UpdateStrategy and MigrateStrategy, with their texts. Durations are
// nanoseconds and print as Go's time.Duration does.
import {
  formatGoDuration as d,
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
    errors.push(`Restart policy ${goQuote(r.Mode)} with ${r.Attempts} attempts is ambiguous`);
  }
  if (r.Interval < RESTART_MIN_INTERVAL) {
    errors.push(`Interval can not be less than ${d(RESTART_MIN_INTERVAL)} (got ${d(r.Interval)})`);
  }
  // Berth's own check: Nomad lets a negative delay through.
  if (r.Delay < 0) errors.push(`Delay can not be negative (got ${d(r.Delay)})`);
  if (r.Attempts * r.Delay > r.Interval) {
    errors.push(
      `Nomad can't restart the TaskGroup ${r.Attempts} times in an interval of ${d(r.Interval)} with a delay of ${d(r.Delay)}`,
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
        `Reschedule Policy with Attempts = ${r.Attempts}, Interval = ${d(r.Interval)}, and Unlimited = true is ambiguous`,
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

/** Nomad's validateDelayParams: can `Attempts` delays fit in `Interval`? */
function viableAttemptsProblems(r: ReschedulePolicy): string[] {
  let possible = 0;
  let recommended = 0;
  let valid = true;
  if (r.DelayFunction === 'constant') {
    recommended = r.Attempts * r.Delay;
    if (r.Interval < recommended) {
      possible = Math.trunc(r.Interval / r.Delay);
      valid = false;
    }
  } else if (r.DelayFunction === 'exponential') {
    for (let i = 0; i < r.Attempts; i++) {
      let next = 2 ** i * r.Delay;
      if (next > r.MaxDelay) {
        next = r.MaxDelay;
        recommended += next;
      } else {
        recommended = next;
      }
      if (recommended < r.Interval) possible++;
    }
    valid = possible >= r.Attempts;
  } else {
    const slots = [r.Delay, r.Delay];
    let ceiling = false;
    for (let i = 2; i < r.Attempts; i++) {
      let next: number;
      if (ceiling) {
        next = slots[i - 1]! + r.MaxDelay;
      } else {
        next = slots[i - 1]! + slots[i - 2]!;
        if (next > r.MaxDelay) {
          next = r.MaxDelay;
          ceiling = true;
        }
      }
      slots.push(next);
    }
    recommended = slots[slots.length - 1]!;
    if (r.Interval < recommended) {
      valid = false;
      const over = slots.findIndex((s) => s > r.Interval);
      possible = over === -1 ? 0 : over;
    }
  }
  if (valid) return [];
  const first =
    r.DelayFunction === 'constant'
      ? `Nomad can only make ${possible} attempts in ${d(r.Interval)} with initial delay ${d(r.Delay)} and delay function ${goQuote(r.DelayFunction)}`
      : `Nomad can only make ${possible} attempts in ${d(r.Interval)} with initial delay ${d(r.Delay)}, delay function ${goQuote(r.DelayFunction)}, and delay ceiling ${d(r.MaxDelay)}`;
  const rounded = Math.round(recommended / SECOND) * SECOND;
  return [
    first,
    `Set the interval to at least ${d(rounded)} to accommodate ${r.Attempts} attempts`,
  ];
}

export function validateEphemeralDisk(disk: EphemeralDisk): string[] {
  return disk.SizeMB < 10 ? [`minimum DiskMB value is 10; got ${disk.SizeMB}`] : [];
}

export function validateLogConfig(log: LogConfig, disk: EphemeralDisk | null): string[] {
  const errors: string[] = [];
  if (log.MaxFiles < 1) errors.push(`minimum number of files is 1; got ${log.MaxFiles}`);
  if (log.MaxFileSizeMB < 1) errors.push(`minimum file size is 1MB; got ${log.MaxFileSizeMB}`);
  const usage = log.MaxFiles * log.MaxFileSizeMB;
  if (disk && disk.SizeMB <= usage) {
    errors.push(
      `log storage (${usage} MB) must be less than requested disk capacity (${disk.SizeMB} MB)`,
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
    errors.push(`Max parallel can not be less than zero: ${u.MaxParallel} < 0`);
  }
  if (u.Canary < 0) errors.push(`Canary count can not be less than zero: ${u.Canary} < 0`);
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
  if (m.MaxParallel < 0) errors.push(`MaxParallel must be >= 0 but found ${m.MaxParallel}`);
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
