// How many job plans may run at once. A plan is one pass of the scheduler, which yields to the
// event loop every 10 ms (endpoints/time-slice.ts) and places at most job_max_count allocations;
// but every plan running beside the real scheduler takes a share of those slices. So plans run
// one at a time per state store, the others wait in order, and a caller that finds too many
// already waiting is told to retry instead of queuing without end.

/** Plans waiting beyond this are refused. */
export const MAX_WAITING_PLANS = 32;

export class PlanGate {
  private running = false;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly maxWaiting = MAX_WAITING_PLANS) {}

  /** Runs `work` when no other plan runs; false (without running it) if too many are waiting. */
  async run<T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
    if (this.running) {
      if (this.waiting.length >= this.maxWaiting) return { ok: false };
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running = true;
    try {
      return { ok: true, value: await work() };
    } finally {
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.running = false;
    }
  }
}
