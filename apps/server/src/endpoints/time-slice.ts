// Request work that grows with the state (a list scan evaluating a filter over thousands of
// objects) shares the event loop with every other request, the heartbeat timers and the
// scheduler. It runs in slices of SLICE_MS and lets the loop turn between them; the slices of all
// requests take turns, one slice per loop turn, so that ten concurrent scans delay I/O by one
// slice, not ten. Each request also has a total work limit, so that a pathological filter is
// refused instead of occupying the server for minutes.
import { setImmediate } from 'node:timers';

/** How long request work runs before it lets the event loop serve others. */
export const SLICE_MS = 10;

/** Thrown by {@link TimeSlice.yield} once a request's work passes its limit. */
export class WorkLimitExceeded extends Error {
  constructor(readonly limitMs: number) {
    super(`request work passed its limit of ${limitMs} ms`);
  }
}

// Slices waiting for their turn, in order; one is resumed per turn of the event loop.
const waiting: (() => void)[] = [];
let pumping = false;

function pump(): void {
  const next = waiting.shift();
  // An immediate queued while immediates run waits for the next loop turn (after timers and I/O).
  if (waiting.length > 0) setImmediate(pump);
  else pumping = false;
  next?.();
}

/** Resolves on a later turn of the event loop, after every earlier waiter has had its turn. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!pumping) {
      pumping = true;
      setImmediate(pump);
    }
  });
}

/** One request's slices: `if (slice.due()) await slice.yield()` between items of work. */
export class TimeSlice {
  #started = performance.now();
  #worked = 0;

  /** `limitMs`: the total time this request may work (excluding the turns it gives away). */
  constructor(readonly limitMs = Infinity) {}

  /** Whether the current slice is used up. */
  due(): boolean {
    return performance.now() - this.#started >= SLICE_MS;
  }

  /**
   * Lets the event loop run (timers, I/O, other requests), then starts a new slice. Throws
   * {@link WorkLimitExceeded} instead when the work so far passed the limit.
   */
  async yield(): Promise<void> {
    this.#worked += performance.now() - this.#started;
    if (this.#worked > this.limitMs) throw new WorkLimitExceeded(this.limitMs);
    await nextTurn();
    this.#started = performance.now();
  }
}
