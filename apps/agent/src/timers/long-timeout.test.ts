import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS, setLongTimeout } from './long-timeout.js';

afterEach(() => vi.useRealTimers());

describe('setLongTimeout', () => {
  it('waits out a delay longer than a Node timer holds instead of firing at once', async () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const day = 24 * 3600 * 1000;
    setLongTimeout(fired, 30 * day);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS);
    expect(fired).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(30 * day - MAX_TIMER_MS - 1);
    expect(fired).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toHaveBeenCalledOnce();
  });

  it('prints no TimeoutOverflowWarning and can be cleared', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const fired = vi.fn();
      const t = setLongTimeout(fired, 40 * 24 * 3600 * 1000);
      await new Promise((resolve) => setTimeout(resolve, 30));
      t.clear();
      expect(fired).not.toHaveBeenCalled();
      expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('fires short delays as setTimeout does', async () => {
    const fired = vi.fn();
    setLongTimeout(fired, 5);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fired).toHaveBeenCalledOnce();
  });
});
