// Node fires a timer whose delay exceeds 2^31-1 ms (about 24.8 days) after 1 ms, with only a
// warning; Nomad's restart delays and the mock driver's run_for may be longer. Such waits are
// chained from timers Node can hold.

/** The longest delay a Node timer holds. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A timer that can be cleared, whatever its delay. */
export interface LongTimeout {
  clear(): void;
}

/** Calls `fn` once after `ms` milliseconds, however long that is. */
export function setLongTimeout(fn: () => void, ms: number): LongTimeout {
  let timer: NodeJS.Timeout | undefined;
  const arm = (remaining: number) => {
    const step = Math.min(Math.max(0, remaining), MAX_TIMER_MS);
    timer = setTimeout(() => (remaining > step ? arm(remaining - step) : fn()), step);
  };
  arm(ms);
  return { clear: () => clearTimeout(timer) };
}
