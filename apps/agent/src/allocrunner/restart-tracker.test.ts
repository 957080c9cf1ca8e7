import { describe, expect, it } from 'vitest';
import { RecoverableError } from '../drivers/errors.js';
import { RestartTracker } from './restart-tracker.js';

const SECOND = 1e9;

function tracker(mode: 'fail' | 'delay', jobType = 'service', attempts = 2) {
  let now = 1_000_000;
  const t = new RestartTracker({
    policy: { Attempts: attempts, Interval: 60 * SECOND, Delay: 1 * SECOND, Mode: mode },
    jobType,
    now: () => now,
    random: () => 0,
  });
  return { t, advance: (ms: number) => (now += ms) };
}

const fail = { exitCode: 1, signal: 0 };

describe('restart tracker', () => {
  it('restarts within the policy after the delay, then fails in mode "fail"', () => {
    const { t } = tracker('fail');
    for (let i = 0; i < 2; i++) {
      t.setExitResult(fail);
      expect(t.decide()).toEqual({
        state: 'Restarting',
        delayMs: 1000,
        reason: 'Restart within policy',
      });
    }
    t.setExitResult(fail);
    expect(t.decide()).toEqual({
      state: 'Not Restarting',
      reason: 'Exceeded allowed attempts 2 in interval 1m0s and mode is "fail"',
    });
  });

  it('waits for the interval to end in mode "delay", then counts afresh', () => {
    const { t, advance } = tracker('delay');
    t.setExitResult(fail);
    t.decide();
    t.setExitResult(fail);
    t.decide();
    advance(10_000);
    t.setExitResult(fail);
    expect(t.decide()).toEqual({
      state: 'Restarting',
      delayMs: 50_000,
      reason: 'Exceeded allowed attempts, applying a delay',
    });
    advance(50_001);
    t.setExitResult(fail);
    expect(t.decide()).toMatchObject({ state: 'Restarting', reason: 'Restart within policy' });
  });

  it('ends a batch task that exited 0, restarts a service task that did', () => {
    const batch = tracker('fail', 'batch').t;
    batch.setExitResult({ exitCode: 0, signal: 0 });
    expect(batch.decide().state).toBe('Terminated');
    const service = tracker('fail', 'service').t;
    service.setExitResult({ exitCode: 0, signal: 0 });
    expect(service.decide().state).toBe('Restarting');
  });

  it('never restarts a killed task; restarts at once when a user asked', () => {
    const { t } = tracker('fail');
    t.setRestartTriggered();
    t.setExitResult(fail);
    expect(t.decide()).toEqual({ state: 'Restarting', delayMs: 0, reason: '' });
    t.setKilled();
    t.setExitResult(fail);
    expect(t.decide()).toEqual({ state: 'Killed' });
  });

  it('fails at once on an unrecoverable start error, and when no attempts are allowed', () => {
    const { t } = tracker('fail');
    t.setStartError(new Error('bad config'));
    expect(t.decide()).toEqual({ state: 'Not Restarting', reason: 'Error was unrecoverable' });
    t.setStartError(new RecoverableError('busy'));
    expect(t.decide().state).toBe('Restarting');
    const none = tracker('fail', 'service', 0).t;
    none.setExitResult(fail);
    expect(none.decide()).toEqual({ state: 'Not Restarting', reason: 'Policy allows no restarts' });
  });
});
