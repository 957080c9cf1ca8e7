// Nomad's RestartTracker (client/allocrunner/taskrunner/restarts): decides, after a task ends,
// whether it starts again and after how long, under the restart policy (Attempts within Interval,
// Delay, Mode fail/delay).
import { formatGoDuration, type RestartPolicy } from '@berth/contract';
import { isRecoverable } from '../drivers/errors.js';
import type { ExitResult } from '../drivers/driver.js';

export const RestartReason = {
  WithinPolicy: 'Restart within policy',
  NoRestartsAllowed: 'Policy allows no restarts',
  Unrecoverable: 'Error was unrecoverable',
  Delay: 'Exceeded allowed attempts, applying a delay',
  Unnecessary: 'Restart unnecessary as task terminated successfully',
} as const;

/** The tracker's verdict: the task event type to record and, when restarting, the delay. */
export type RestartDecision =
  | { state: 'Restarting'; delayMs: number; reason: string }
  | { state: 'Not Restarting'; reason: string }
  /** Ended successfully where that means done (batch): dead, not failed. */
  | { state: 'Terminated'; reason: string }
  /** Killed on purpose: never restarted. */
  | { state: 'Killed' };

export interface RestartTrackerOptions {
  policy: Pick<RestartPolicy, 'Attempts' | 'Interval' | 'Delay' | 'Mode'>;
  /** Batch tasks are done after a successful exit; service tasks restart after any exit. */
  jobType: string;
  now?: () => number;
  /** 0..1; Nomad adds up to 25% jitter to the delay. */
  random?: () => number;
}

const NS_PER_MS = 1e6;

export class RestartTracker {
  private count = 0;
  private windowStart: number;
  private exit: ExitResult | undefined;
  private startError: unknown;
  private triggered = false;
  private killed = false;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly options: RestartTrackerOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.windowStart = this.now();
  }

  setExitResult(exit: ExitResult): void {
    this.exit = exit;
  }

  setStartError(error: unknown): void {
    this.startError = error;
  }

  /** A user asked for a restart: the next exit restarts at once, outside the policy. */
  setRestartTriggered(): void {
    this.triggered = true;
  }

  setKilled(): void {
    this.killed = true;
  }

  /** The decision after the last exit or start failure; clears what it was told. */
  decide(): RestartDecision {
    try {
      return this.decideOnce();
    } finally {
      this.exit = undefined;
      this.startError = undefined;
      this.triggered = false;
      this.killed = false;
    }
  }

  private decideOnce(): RestartDecision {
    if (this.killed) return { state: 'Killed' };
    if (this.triggered) return { state: 'Restarting', delayMs: 0, reason: '' };

    const { policy } = this.options;
    const restartOnSuccess = this.options.jobType !== 'batch';
    const successful =
      this.startError === undefined &&
      this.exit !== undefined &&
      this.exit.exitCode === 0 &&
      this.exit.signal === 0 &&
      !this.exit.err;

    if (policy.Attempts === 0) {
      if (!restartOnSuccess && successful) {
        return { state: 'Terminated', reason: RestartReason.NoRestartsAllowed };
      }
      return { state: 'Not Restarting', reason: RestartReason.NoRestartsAllowed };
    }

    const now = this.now();
    const intervalMs = policy.Interval / NS_PER_MS;
    if (now > this.windowStart + intervalMs) {
      this.count = 0;
      this.windowStart = now;
    }
    this.count++;

    if (this.startError !== undefined) {
      if (!isRecoverable(this.startError)) {
        return { state: 'Not Restarting', reason: RestartReason.Unrecoverable };
      }
    } else if (successful && !restartOnSuccess) {
      return { state: 'Terminated', reason: RestartReason.Unnecessary };
    }

    if (this.count > policy.Attempts) {
      if (policy.Mode === 'fail') {
        return {
          state: 'Not Restarting',
          reason: `Exceeded allowed attempts ${policy.Attempts} in interval ${formatGoDuration(policy.Interval)} and mode is "fail"`,
        };
      }
      // Delay mode: wait for the interval to end, when the attempts are counted afresh.
      const delayMs = Math.max(0, this.windowStart + intervalMs - now);
      return { state: 'Restarting', delayMs, reason: RestartReason.Delay };
    }
    const delayMs = policy.Delay / NS_PER_MS;
    return {
      state: 'Restarting',
      delayMs: delayMs + this.random() * delayMs * 0.25,
      reason: RestartReason.WithinPolicy,
    };
  }
}
