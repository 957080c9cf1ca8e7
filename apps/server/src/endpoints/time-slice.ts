// Request work that grows with the state (a list scan evaluating a filter over thousands of
// objects) shares the event loop with every other request, the heartbeat timers and the
// scheduler. It runs in slices of SLICE_MS and lets the loop turn between them; the slices of all
// requests take turns, one slice per loop turn, so that ten concurrent scans delay I/O by one
// slice, not ten.
import { setImmediate } from 'node:timers';

/** How long request work runs before it lets the event loop serve others. */
export const SLICE_MS = 10;

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

  /** Whether the current slice is used up. */
  due(): boolean {
    return performance.now() - this.#started >= SLICE_MS;
  }

  /** Lets the event loop run (timers, I/O, other requests), then starts a new slice. */
  async yield(): Promise<void> {
    await nextTurn();
    this.#started = performance.now();
  }
}
