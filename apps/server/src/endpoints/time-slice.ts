// Work that grows with the state (a list scan evaluating a filter over thousands of objects, the
// scheduler placing thousands of allocations, a large plan applied) shares the event loop with
// every request and the heartbeat timers. It runs in slices of SLICE_MS and lets the loop turn between them; the slices of all
// requests take turns, one slice per loop turn, so that ten concurrent scans delay I/O by one
// slice, not ten.
import { setImmediate } from 'node:timers';

/** How long work runs before it lets the event loop serve others. */
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

/** One task's slices: `await slice.maybeYield()` (or `due()`, then `yield()`) between items. */
export class TimeSlice {
  #started = performance.now();

  constructor(private readonly sliceMs = SLICE_MS) {}

  /** Whether the current slice is used up. */
  due(): boolean {
    return performance.now() - this.#started >= this.sliceMs;
  }

  /** Lets the event loop run (timers, I/O, other requests), then starts a new slice. */
  async yield(): Promise<void> {
    await nextTurn();
    this.#started = performance.now();
  }

  /** Yields if the slice is used up. */
  async maybeYield(): Promise<void> {
    if (this.due()) await this.yield();
  }
}
