// Jobs off the caller's event loop: one long-lived worker thread, started on first use, running
// one job at a time from a bounded queue, each job under a time limit and the thread under heap
// limits. A thread that dies, is stopped at a time limit, or says it is ending is replaced for
// the jobs still queued.
//
//   run() ──► queue (at most maxQueued, else wording.busy)
//               │ one at a time, once the worker said ready
//               ▼
//             worker (serveJobs) ──► the answer, as the worker gave it
//               │ over the time limit: worker terminated, wording.timedOut
//               │ worker died mid-job: wording.stopped
//               │ worker never ready (failed, or not within startTimeoutMs): wording.didNotStart
//               ▼
//             next queued job (on a new worker when the old one is gone)
import type { ResourceLimits, Worker } from 'node:worker_threads';
import type { JobMessage, WorkerMessage } from './protocol.js';
import { fromSource, startWorker } from './start-worker.js';

/** The errors a queue's jobs reject with: each user of the queue words its own. */
export interface QueueWording {
  /** A job refused unqueued: `maxQueued` jobs are waiting. */
  busy(maxQueued: number): Error;
  /** A job abandoned because the queue was closed. */
  closed(): Error;
  /** A job stopped (its worker terminated) at its time limit. */
  timedOut(timeoutMs: number): Error;
  /** The worker stopped during the job: `why` is its error's message, or its exit code. */
  stopped(why: string): Error;
  /** A worker failed before it was ready, failing the jobs waiting for it. */
  didNotStart(why: string, cause: unknown): Error;
  /** Why a worker not ready within `startTimeoutMs` was stopped (given to didNotStart). */
  notReady(startTimeoutMs: number): string;
}

/** Options of a {@link WorkerThreadQueue}. */
export interface WorkerThreadQueueOptions {
  /** The worker's module: one that calls serveJobs (see `workerBeside`). */
  workerUrl: URL;
  /**
   * Whether the worker runs from source: TypeScript, or a script importing some, started through
   * tsx (see {@link startWorker}). Default: whether workerUrl is a `.ts` file. Pass
   * `fromSource(import.meta.url)` to start any worker the way the calling module itself runs.
   */
  source?: boolean;
  /** What the queue is, for its RangeErrors ("policy parser"). */
  name: string;
  /** Jobs waiting, the one running aside; 1 or more. */
  maxQueued: number;
  /** Time limit of one job in ms, unless {@link WorkerThreadQueue.run} is given another. */
  timeoutMs: number;
  /** Longest a new worker may take to say ready, in ms. */
  startTimeoutMs: number;
  /** The worker's heap limits. */
  resourceLimits: ResourceLimits;
  wording: QueueWording;
}

interface Job<Request extends object, Answer> {
  id: number;
  request: Request;
  timeoutMs: number;
  resolve: (answer: Answer) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Why the worker failed, from its 'error' event, reported when it exits. */
  failure?: Error;
  startTimer: NodeJS.Timeout;
}

/** One worker thread running queued jobs; see the top of this file. */
export class WorkerThreadQueue<Request extends object, Answer> {
  private readonly options: WorkerThreadQueueOptions;
  private readonly queue: Job<Request, Answer>[] = [];
  private slot: Slot | undefined;
  private running: Job<Request, Answer> | undefined;
  private nextId = 1;
  private startsCount = 0;

  constructor(options: WorkerThreadQueueOptions) {
    const { maxQueued, name } = options;
    if (!Number.isInteger(maxQueued) || maxQueued < 1) {
      throw new RangeError(`${name} queue bound must be 1 or more, not ${maxQueued}`);
    }
    checkTimeout(options.timeoutMs, name);
    checkTimeout(options.startTimeoutMs, name);
    this.options = options;
  }

  /** Workers started so far (one, unless one died, ended, or was stopped at a time limit). */
  get starts(): number {
    return this.startsCount;
  }

  /**
   * Runs `request` on the worker, under `timeoutMs` (default: the queue's). Resolves with the
   * worker's answer; rejects with the wording's errors. Throws a RangeError for a bad time limit.
   */
  run(request: Request, timeoutMs: number = this.options.timeoutMs): Promise<Answer> {
    checkTimeout(timeoutMs, this.options.name);
    if (this.queue.length >= this.options.maxQueued) {
      return Promise.reject(this.options.wording.busy(this.options.maxQueued));
    }
    return new Promise<Answer>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, timeoutMs, resolve, reject });
      this.pump();
    });
  }

  /** Stops the worker; jobs queued or running reject with wording.closed. A later run restarts. */
  async close(): Promise<void> {
    const slot = this.slot;
    this.slot = undefined;
    const jobs = this.running === undefined ? [...this.queue] : [this.running, ...this.queue];
    this.running = undefined;
    this.queue.length = 0;
    for (const job of jobs) {
      clearTimeout(job.timer);
      job.reject(this.options.wording.closed());
    }
    if (slot !== undefined) {
      clearTimeout(slot.startTimer);
      await slot.worker.terminate();
    }
  }

  /** Hands the next queued job to the worker, starting one if there is none. */
  private pump(): void {
    if (this.running !== undefined) return;
    if (this.queue.length === 0) {
      // Idle: the worker alone must not keep the process alive.
      this.slot?.worker.unref();
      return;
    }
    let slot = this.slot;
    if (slot === undefined) {
      try {
        slot = this.start();
      } catch (error) {
        this.failQueued(error instanceof Error ? error.message : String(error), error);
        return;
      }
    }
    const job = slot.ready ? this.queue.shift() : undefined;
    if (job === undefined) return;
    this.running = job;
    slot.worker.ref();
    const current = slot;
    job.timer = setTimeout(() => this.timedOut(current, job), job.timeoutMs);
    const message: JobMessage<Request> = { ...job.request, id: job.id };
    slot.worker.postMessage(message);
  }

  private start(): Slot {
    const { workerUrl, resourceLimits, startTimeoutMs, wording } = this.options;
    const source = this.options.source ?? fromSource(workerUrl.href);
    const worker = startWorker(workerUrl, resourceLimits, source);
    this.startsCount++;
    const slot: Slot = {
      worker,
      ready: false,
      startTimer: setTimeout(() => {
        slot.failure = new Error(wording.notReady(startTimeoutMs));
        void worker.terminate();
      }, startTimeoutMs),
    };
    this.slot = slot;
    worker.on('message', (message: WorkerMessage<Answer>) => this.received(slot, message));
    worker.on('error', (error) => (slot.failure = error));
    worker.on('exit', (code) => this.exited(slot, code));
    return slot;
  }

  private received(slot: Slot, message: WorkerMessage<Answer>): void {
    if (slot !== this.slot) return;
    if (message.kind === 'ready') {
      clearTimeout(slot.startTimer);
      slot.ready = true;
      this.pump();
      return;
    }
    const job = this.running;
    if (job === undefined || job.id !== message.id) return;
    clearTimeout(job.timer);
    this.running = undefined;
    if (message.ending === true) {
      // Forgotten at once, so the next job starts a new worker instead of meeting this exit.
      this.slot = undefined;
      void slot.worker.terminate();
    }
    job.resolve(message.answer);
    this.pump();
  }

  /** The running job is over its limit: the worker is stopped, the job refused. */
  private timedOut(slot: Slot, job: Job<Request, Answer>): void {
    if (this.running !== job || this.slot !== slot) return;
    this.running = undefined;
    // Forgotten at once: its exit is ours, and the next job gets a fresh worker.
    this.slot = undefined;
    void slot.worker.terminate();
    job.reject(this.options.wording.timedOut(job.timeoutMs));
    this.pump();
  }

  /**
   * A worker could not start: the jobs waiting for it fail (a fault, not their requests'); the
   * next job tries a new worker.
   */
  private failQueued(why: string, cause: unknown): void {
    for (const job of this.queue.splice(0)) {
      job.reject(this.options.wording.didNotStart(why, cause));
    }
  }

  private exited(slot: Slot, code: number): void {
    clearTimeout(slot.startTimer);
    if (slot !== this.slot) return;
    this.slot = undefined;
    const why = slot.failure?.message ?? `exit code ${code}`;
    if (!slot.ready) {
      this.failQueued(why, slot.failure);
      return;
    }
    const job = this.running;
    if (job !== undefined) {
      clearTimeout(job.timer);
      this.running = undefined;
      // Most likely this request's doing (the heap is bounded): refused, never retried.
      job.reject(this.options.wording.stopped(why));
    }
    this.pump();
  }
}

function checkTimeout(ms: number, name: string): void {
  if (!Number.isFinite(ms) || ms <= 0 || ms > 2 ** 31 - 1) {
    throw new RangeError(`${name} time limit must be 1 to 2147483647 ms, not ${ms}`);
  }
}
