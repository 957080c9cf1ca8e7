// Nomad's EvalBroker (nomad/eval_broker.go): the queue of evaluations waiting for a scheduler.
// Ready evaluations are ordered by priority, then creation; a job has at most one evaluation ready
// or in flight, the others wait ("pending") and all but the newest are cancelled once it is done;
// an evaluation with WaitUntil in the future waits for that time; a dequeued evaluation must be
// acked or nacked, and one nacked too often moves to the failed queue.
import type { Evaluation } from '@berth/contract';
import { randomUUID } from 'node:crypto';
import { Heap } from './heap.js';

/** The queue of evaluations that reached the delivery limit (Nomad's `_failed`). */
export const FAILED_QUEUE = '_failed';

/** The longest delay a Node timer holds (2^31-1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface EvalBrokerOptions {
  /** An unacked evaluation is nacked after this long (Nomad's EvalNackTimeout: 60 s). */
  nackTimeoutMs?: number;
  /** Deliveries before an evaluation goes to the failed queue (Nomad's EvalDeliveryLimit: 3). */
  deliveryLimit?: number;
  /** Delay before re-enqueuing after the first nack (Nomad: 1 s). */
  initialNackDelayMs?: number;
  /** Delay per further nack, compounding (Nomad: 20 s). */
  subsequentNackDelayMs?: number;
  /** The clock WaitUntil is compared with (unix milliseconds). */
  now?: () => number;
  /**
   * Receives the evaluations made useless when a newer one of the same job was processed; they
   * are still `pending` in the state and should be written `canceled`.
   */
  onCancelable?: (evaluations: Evaluation[]) => void;
}

/** An evaluation handed to a worker, with the token its ack or nack must carry. */
export interface Dequeued {
  evaluation: Evaluation;
  token: string;
}

/** A wrong ack or nack (unknown evaluation, or a token of an earlier delivery). */
export class BrokerError extends Error {}

/** Where a tracked evaluation is. */
type Place = 'ready' | 'pending' | 'delayed' | 'waiting' | 'unacked' | 'canceling';

interface Tracked {
  evaluation: Evaluation;
  place: Place;
  /** The ready queue it is (or will be) in: its Type, or the failed queue. */
  queue: string;
  /** How many times it was dequeued. */
  dequeues: number;
  token?: string;
  /** The nack timer while unacked, the re-enqueue timer while waiting. */
  timer?: NodeJS.Timeout;
  /** A newer version that arrived while it was in flight: enqueued again once acked. */
  requeue?: Evaluation;
}

interface Waiter {
  schedulers: readonly string[] | undefined;
  resolve: (dequeued: Dequeued | undefined) => void;
}

interface Delayed {
  evaluation: Evaluation;
  at: number;
}

/** Higher priority first; same priority (or same job): older first. */
function readyLess(a: Evaluation, b: Evaluation): boolean {
  if (a.JobID !== b.JobID && a.Priority !== b.Priority) return a.Priority > b.Priority;
  return a.CreateIndex < b.CreateIndex;
}

/** Higher priority first, then the most recently modified (the one kept when cancelling). */
function pendingLess(a: Evaluation, b: Evaluation): boolean {
  if (a.Priority !== b.Priority) return a.Priority > b.Priority;
  return a.ModifyIndex > b.ModifyIndex;
}

function jobKey(e: Evaluation): string {
  return `${e.Namespace}\u0000${e.JobID}`;
}

/** WaitUntil as unix milliseconds, or undefined when unset (null or Go's zero time). */
export function waitUntilMs(e: Evaluation): number | undefined {
  if (!e.WaitUntil) return undefined;
  const ms = Date.parse(e.WaitUntil);
  return Number.isNaN(ms) || ms <= 0 ? undefined : ms;
}

export class EvalBroker {
  private readonly nackTimeoutMs: number;
  private readonly deliveryLimit: number;
  private readonly initialNackDelayMs: number;
  private readonly subsequentNackDelayMs: number;
  private readonly now: () => number;
  private readonly onCancelable: (evaluations: Evaluation[]) => void;

  private readonly tracked = new Map<string, Tracked>();
  /** Per job, the one evaluation ready or in flight. */
  private readonly jobEvals = new Map<string, string>();
  /** Per job, the evaluations waiting for it. */
  private readonly pending = new Map<string, Heap<Evaluation>>();
  private readonly ready = new Map<string, Heap<Evaluation>>();
  private readonly delayed = new Heap<Delayed>((a, b) => a.at < b.at);
  private delayTimer: NodeJS.Timeout | undefined;
  private waiters: Waiter[] = [];
  private stopped = false;

  constructor(options: EvalBrokerOptions = {}) {
    this.nackTimeoutMs = options.nackTimeoutMs ?? 60_000;
    this.deliveryLimit = options.deliveryLimit ?? 3;
    this.initialNackDelayMs = options.initialNackDelayMs ?? 1_000;
    this.subsequentNackDelayMs = options.subsequentNackDelayMs ?? 20_000;
    this.now = options.now ?? Date.now;
    this.onCancelable = options.onCancelable ?? (() => {});
  }

  /** Adds a pending evaluation (again: ignored, unless it is in flight, then it comes back after the ack). */
  enqueue(evaluation: Evaluation): void {
    if (this.stopped) return;
    const known = this.tracked.get(evaluation.ID);
    if (known !== undefined) {
      if (known.place === 'unacked') known.requeue = evaluation;
      return;
    }
    const t: Tracked = { evaluation, place: 'ready', queue: evaluation.Type, dequeues: 0 };
    this.tracked.set(evaluation.ID, t);
    const at = waitUntilMs(evaluation);
    if (at !== undefined && at > this.now()) {
      t.place = 'delayed';
      this.delayed.push({ evaluation, at });
      this.armDelayTimer();
      return;
    }
    if (evaluation.Wait > 0) {
      this.waitThenReady(t, evaluation.Wait / 1e6);
      return;
    }
    this.makeReady(t, evaluation.Type);
  }

  /**
   * Resolves with the next ready evaluation of one of `schedulers` (every queue but the failed
   * one when absent): the highest priority first. Waits until there is one; resolves `undefined`
   * when `signal` aborts or the broker stops.
   */
  dequeue(schedulers?: readonly string[], signal?: AbortSignal): Promise<Dequeued | undefined> {
    const found = this.scan(schedulers);
    if (found !== undefined || this.stopped || signal?.aborted) return Promise.resolve(found);
    return new Promise((resolve) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(undefined);
      };
      const waiter: Waiter = {
        schedulers,
        resolve: (dequeued) => {
          // The signal outlives this call (a worker's whole life): do not leave a listener on it.
          signal?.removeEventListener('abort', onAbort);
          resolve(dequeued);
        },
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The token of an evaluation in flight, or undefined. */
  outstanding(evalID: string): string | undefined {
    const t = this.tracked.get(evalID);
    return t?.place === 'unacked' ? t.token : undefined;
  }

  /** Marks an evaluation done: the job's next waiting evaluation becomes ready. */
  ack(evalID: string, token: string): void {
    const t = this.inFlight(evalID, token);
    clearTimeout(t.timer);
    this.tracked.delete(evalID);
    this.releaseJob(t.evaluation, true);
    if (t.requeue !== undefined) this.enqueue(t.requeue);
  }

  /** Gives an evaluation back: it is delivered again later, or goes to the failed queue. */
  nack(evalID: string, token: string): void {
    const t = this.inFlight(evalID, token);
    clearTimeout(t.timer);
    t.requeue = undefined;
    t.token = undefined;
    if (t.dequeues >= this.deliveryLimit) {
      this.makeReady(t, FAILED_QUEUE);
      return;
    }
    const delay = this.nackDelayMs(t.dequeues);
    if (delay > 0) this.waitThenReady(t, delay);
    else this.makeReady(t, t.evaluation.Type);
  }

  /**
   * Forgets an evaluation the state says is no longer pending (or deleted), unless a worker holds
   * it: that worker's own status update is expected.
   */
  forget(evalID: string): void {
    const t = this.tracked.get(evalID);
    if (t === undefined || t.place === 'unacked') return;
    this.tracked.delete(evalID);
    switch (t.place) {
      case 'ready':
        this.ready.get(t.queue)?.remove((e) => e.ID === evalID);
        break;
      case 'pending': {
        const key = jobKey(t.evaluation);
        const heap = this.pending.get(key);
        heap?.remove((e) => e.ID === evalID);
        if (heap?.size === 0) this.pending.delete(key);
        return;
      }
      case 'delayed':
        this.delayed.remove((d) => d.evaluation.ID === evalID);
        this.armDelayTimer();
        return;
      case 'waiting':
        clearTimeout(t.timer);
        break;
      case 'canceling':
        return;
    }
    this.releaseJob(t.evaluation, false);
  }

  /** Counts of what the broker holds (Nomad's BrokerStats). */
  stats(): { ready: number; unacked: number; pending: number; delayed: number; waiting: number } {
    const counts = { ready: 0, unacked: 0, pending: 0, delayed: 0, waiting: 0 };
    for (const t of this.tracked.values()) if (t.place !== 'canceling') counts[t.place]++;
    return counts;
  }

  /** Stops every timer and releases waiting dequeues; later enqueues are ignored. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.delayTimer);
    for (const t of this.tracked.values()) clearTimeout(t.timer);
    this.tracked.clear();
    this.jobEvals.clear();
    this.pending.clear();
    this.ready.clear();
    this.delayed.drain();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve(undefined);
  }

  // ── Internals ───────────────────────────────────────────────────────────────────────────────

  private inFlight(evalID: string, token: string): Tracked {
    const t = this.tracked.get(evalID);
    if (t === undefined || t.place !== 'unacked') throw new BrokerError('Evaluation ID not found');
    if (t.token !== token) throw new BrokerError('Token does not match for Evaluation ID');
    return t;
  }

  /** Puts an evaluation in a ready queue, or behind the job's evaluation already ready or in flight. */
  private makeReady(t: Tracked, queue: string): void {
    const e = t.evaluation;
    const key = jobKey(e);
    const current = this.jobEvals.get(key);
    if (current === undefined) {
      this.jobEvals.set(key, e.ID);
    } else if (current !== e.ID) {
      t.place = 'pending';
      let heap = this.pending.get(key);
      if (heap === undefined) {
        heap = new Heap(pendingLess);
        this.pending.set(key, heap);
      }
      heap.push(e);
      return;
    }
    t.place = 'ready';
    t.queue = queue;
    let heap = this.ready.get(queue);
    if (heap === undefined) {
      heap = new Heap(readyLess);
      this.ready.set(queue, heap);
    }
    heap.push(e);
    this.wake();
  }

  /**
   * Frees the job's slot held by `e` and makes its next waiting evaluation ready. After a
   * processed evaluation (`cancelOlder`), only the newest waiting one is kept (Nomad's
   * MarkForCancel): one run of the scheduler sees everything the others would have.
   */
  private releaseJob(e: Evaluation, cancelOlder: boolean): void {
    const key = jobKey(e);
    if (this.jobEvals.get(key) !== e.ID) return;
    this.jobEvals.delete(key);
    const heap = this.pending.get(key);
    if (heap === undefined) return;
    const next = heap.pop() as Evaluation;
    if (cancelOlder) {
      const cancelable = heap.drain();
      for (const c of cancelable) {
        const ct = this.tracked.get(c.ID);
        if (ct !== undefined) ct.place = 'canceling';
      }
      if (cancelable.length > 0) this.onCancelable(cancelable);
    }
    if (heap.size === 0) this.pending.delete(key);
    const nt = this.tracked.get(next.ID);
    if (nt !== undefined) this.makeReady(nt, next.Type);
  }

  private waitThenReady(t: Tracked, ms: number): void {
    t.place = 'waiting';
    const queue = t.evaluation.Type;
    // A wait longer than a Node timer can hold is waited out in steps.
    const step = Math.min(ms, MAX_TIMER_MS);
    t.timer = setTimeout(() => {
      t.timer = undefined;
      if (this.tracked.get(t.evaluation.ID) !== t) return;
      if (ms > step) this.waitThenReady(t, ms - step);
      else this.makeReady(t, queue);
    }, step);
    t.timer.unref();
  }

  private nackDelayMs(dequeues: number): number {
    if (dequeues <= 0) return 0;
    if (dequeues === 1) return this.initialNackDelayMs;
    return (dequeues - 1) * this.subsequentNackDelayMs;
  }

  private armDelayTimer(): void {
    clearTimeout(this.delayTimer);
    this.delayTimer = undefined;
    const head = this.delayed.peek();
    if (head === undefined || this.stopped) return;
    // Node fires a timer of more than MAX_TIMER_MS after 1 ms; releaseDelayed re-arms until due.
    const ms = Math.min(Math.max(0, head.at - this.now()), MAX_TIMER_MS);
    this.delayTimer = setTimeout(() => this.releaseDelayed(), ms);
    this.delayTimer.unref();
  }

  private releaseDelayed(): void {
    const now = this.now();
    for (let head = this.delayed.peek(); head !== undefined && head.at <= now;) {
      this.delayed.pop();
      const t = this.tracked.get(head.evaluation.ID);
      if (t !== undefined) this.makeReady(t, head.evaluation.Type);
      head = this.delayed.peek();
    }
    this.armDelayTimer();
  }

  /** Takes the best ready evaluation among `schedulers`' queues and hands it out. */
  private scan(schedulers: readonly string[] | undefined): Dequeued | undefined {
    let best: Heap<Evaluation> | undefined;
    let bestEval: Evaluation | undefined;
    for (const [queue, heap] of this.ready) {
      if (schedulers === undefined ? queue === FAILED_QUEUE : !schedulers.includes(queue)) continue;
      const head = heap.peek();
      if (head === undefined) continue;
      if (
        bestEval === undefined ||
        head.Priority > bestEval.Priority ||
        (head.Priority === bestEval.Priority && head.CreateIndex < bestEval.CreateIndex)
      ) {
        best = heap;
        bestEval = head;
      }
    }
    if (best === undefined || bestEval === undefined) return undefined;
    best.pop();
    const t = this.tracked.get(bestEval.ID) as Tracked;
    const token = randomUUID();
    t.place = 'unacked';
    t.token = token;
    t.dequeues++;
    t.timer = setTimeout(() => {
      if (t.token === token && t.place === 'unacked') this.nack(bestEval.ID, token);
    }, this.nackTimeoutMs);
    t.timer.unref();
    return { evaluation: t.evaluation, token };
  }

  /** Hands ready evaluations to waiting dequeues, oldest waiter first. */
  private wake(): void {
    if (this.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      const found = this.scan(w.schedulers);
      if (found === undefined) still.push(w);
      else w.resolve(found);
    }
    this.waiters = still;
  }
}
