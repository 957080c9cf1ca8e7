// The scheduler shares the event loop with the HTTP API and the heartbeat timers: long work
// (placing thousands of allocations, applying a large plan) gives the loop a turn whenever it has
// run for a slice, so that no request waits more than the 50 ms budget behind it.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** How long scheduler work runs before it lets the event loop serve others. */
export const SLICE_MS = 10;

export class TimeSlice {
  private started = performance.now();

  constructor(private readonly sliceMs = SLICE_MS) {}

  /** Whether the current slice is used up. */
  due(): boolean {
    return performance.now() - this.started >= this.sliceMs;
  }

  /** Lets the event loop run (timers, I/O, requests), then starts a new slice. */
  async yield(): Promise<void> {
    await nextTurn();
    this.started = performance.now();
  }

  /** Yields if the slice is used up. */
  async maybeYield(): Promise<void> {
    if (this.due()) await this.yield();
  }
}
