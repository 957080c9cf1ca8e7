import type { Allocation, ReschedulePolicy } from '@berth/contract';
import { describe, expect, it } from 'vitest';

import { mockAlloc, mockJob, SECOND } from '../../../test-support/mock.js';
import { nextDelay, nextRescheduleTime, replacementTracker } from './reschedule.js';

function allocWith(
  policy: Partial<ReschedulePolicy>,
  delays: number[],
  failedAt = 1_000 * SECOND,
): Allocation {
  const job = mockJob();
  job.TaskGroups![0]!.ReschedulePolicy = {
    Attempts: 0,
    Interval: 0,
    Delay: 5 * SECOND,
    DelayFunction: 'constant',
    MaxDelay: 0,
    Unlimited: true,
    ...policy,
  };
  return mockAlloc({
    Job: job,
    ClientStatus: 'failed',
    ModifyTime: failedAt,
    RescheduleTracker:
      delays.length === 0
        ? null
        : {
            Events: delays.map((Delay, i) => ({
              RescheduleTime: failedAt - (delays.length - i) * SECOND,
              PrevAllocID: `a${i}`,
              PrevNodeID: `n${i}`,
              Delay,
            })),
            LastReschedule: 'ok',
          },
  });
}

describe('reschedule delays', () => {
  it('constant', () => {
    expect(nextDelay(allocWith({}, [5 * SECOND, 5 * SECOND]))).toBe(5 * SECOND);
  });
  it('exponential, capped by MaxDelay', () => {
    const p = { DelayFunction: 'exponential', MaxDelay: 30 * SECOND };
    expect(nextDelay(allocWith(p, []))).toBe(5 * SECOND);
    expect(nextDelay(allocWith(p, [5 * SECOND]))).toBe(10 * SECOND);
    expect(nextDelay(allocWith(p, [5 * SECOND, 10 * SECOND, 20 * SECOND]))).toBe(30 * SECOND);
  });
  it('fibonacci', () => {
    const p = { DelayFunction: 'fibonacci', MaxDelay: 100 * SECOND };
    expect(nextDelay(allocWith(p, [5 * SECOND]))).toBe(5 * SECOND);
    expect(nextDelay(allocWith(p, [5 * SECOND, 5 * SECOND]))).toBe(10 * SECOND);
    expect(nextDelay(allocWith(p, [5 * SECOND, 10 * SECOND]))).toBe(15 * SECOND);
  });
  it('resets to Delay once the allocation ran longer than the cap', () => {
    const p = { DelayFunction: 'exponential', MaxDelay: 10 * SECOND };
    const a = allocWith(p, [5 * SECOND, 10 * SECOND]);
    a.RescheduleTracker!.Events![1]!.RescheduleTime = a.ModifyTime - 60 * SECOND;
    expect(nextDelay(a)).toBe(5 * SECOND);
  });
});

describe('reschedule eligibility', () => {
  it('counts attempts within the interval only', () => {
    const p = { Attempts: 2, Interval: 60 * SECOND, Unlimited: false };
    expect(nextRescheduleTime(allocWith(p, [5 * SECOND])).eligible).toBe(true);
    expect(nextRescheduleTime(allocWith(p, [5 * SECOND, 5 * SECOND])).eligible).toBe(false);
    const old = allocWith(p, [5 * SECOND, 5 * SECOND]);
    old.RescheduleTracker!.Events![0]!.RescheduleTime -= 3600 * SECOND;
    expect(nextRescheduleTime(old).eligible).toBe(true);
  });
  it('is off with no attempts and not unlimited', () => {
    expect(nextRescheduleTime(allocWith({ Attempts: 0, Unlimited: false }, [])).eligible).toBe(
      false,
    );
  });
  it('is due the delay after the failure', () => {
    const a = allocWith({}, []);
    expect(nextRescheduleTime(a)).toEqual({ time: a.ModifyTime + 5 * SECOND, eligible: true });
  });
  it('only concerns failed allocations', () => {
    const a = { ...allocWith({}, []), ClientStatus: 'running' as const };
    expect(nextRescheduleTime(a).eligible).toBe(false);
  });
});

describe('replacement tracker', () => {
  it('keeps the last five events when unlimited, and adds this one', () => {
    const prev = allocWith(
      {},
      [1, 2, 3, 4, 5, 6].map((n) => n * SECOND),
    );
    const t = replacementTracker(prev, prev.ModifyTime);
    expect(t.Events?.map((e) => e.PrevAllocID)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', prev.ID]);
    expect(t.LastReschedule).toBe('ok');
  });
});
