import { formatGoDuration as d, goQuote, type ReschedulePolicy } from '@berth/contract';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { HOUR, MINUTE, SECOND } from '../defaults.js';
import { validateReschedulePolicy } from './policies.js';

/**
 * Nomad's viableAttempts as Go writes it, one step per attempt: the reference the bounded
 * version must agree with wherever walking every attempt is affordable.
 */
function nomadDelayProblems(r: ReschedulePolicy): string[] {
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
      let next = ceiling ? slots[i - 1]! + r.MaxDelay : slots[i - 1]! + slots[i - 2]!;
      if (!ceiling && next > r.MaxDelay) {
        next = r.MaxDelay;
        ceiling = true;
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
  const fn = goQuote(r.DelayFunction);
  return [
    r.DelayFunction === 'constant'
      ? `Nomad can only make ${possible} attempts in ${d(r.Interval)} with initial delay ${d(r.Delay)} and delay function ${fn}`
      : `Nomad can only make ${possible} attempts in ${d(r.Interval)} with initial delay ${d(r.Delay)}, delay function ${fn}, and delay ceiling ${d(r.MaxDelay)}`,
    `Set the interval to at least ${d(Math.round(recommended / SECOND) * SECOND)} to accommodate ${r.Attempts} attempts`,
  ];
}

const policy = (over: Partial<ReschedulePolicy>): ReschedulePolicy => ({
  Attempts: 1,
  Interval: HOUR,
  Delay: 30 * SECOND,
  DelayFunction: 'exponential',
  MaxDelay: HOUR,
  Unlimited: false,
  ...over,
});

describe('validateReschedulePolicy: can the attempts fit in the interval', () => {
  test('agrees with Nomad attempt by attempt, for every delay function', () => {
    const seconds = (min: number, max: number) => fc.integer({ min, max }).map((s) => s * SECOND);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        seconds(5, 600),
        seconds(0, 7200),
        seconds(15, 100 * 3600),
        fc.constantFrom('constant', 'exponential', 'fibonacci'),
        (Attempts, Delay, extra, Interval, DelayFunction) => {
          const r = policy({ Attempts, Delay, MaxDelay: Delay + extra, Interval, DelayFunction });
          expect(validateReschedulePolicy(r)).toEqual(nomadDelayProblems(r));
        },
      ),
      { seed: 7, numRuns: 2000 },
    );
  });

  test.each(['constant', 'exponential', 'fibonacci'])(
    '%s: 2^62 attempts are answered at once, every figure exact',
    (DelayFunction) => {
      const r = policy({
        Attempts: 2 ** 62,
        Delay: 5 * SECOND,
        MaxDelay: MINUTE,
        Interval: HOUR,
        DelayFunction,
      });
      const [first, second] = validateReschedulePolicy(r);
      // As many fit as with 10,000 attempts, which Nomad's own walk can still count.
      const [walked] = nomadDelayProblems({ ...r, Attempts: 10_000 });
      expect(first).toBe(walked);
      expect(first).toMatch(/^Nomad can only make (720|63|66) attempts in 1h0m0s/);
      expect(second).toMatch(/to accommodate 4611686018427387904 attempts$/);
    },
  );

  test('the recommended interval of 2^62 exponential attempts is counted, not walked', () => {
    const r = policy({ Attempts: 2 ** 62, Delay: 5 * SECOND, MaxDelay: 5 * SECOND });
    // Every attempt waits 5s: 5s * 2^62.
    const total = 5n * BigInt(SECOND) * 2n ** 62n;
    expect(validateReschedulePolicy(r)[1]).toBe(
      `Set the interval to at least ${d(total)} to accommodate 4611686018427387904 attempts`,
    );
  });
});
