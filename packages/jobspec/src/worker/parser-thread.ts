// parseJobspec off the caller's event loop: the WASM parser and the evaluator run in one
// long-lived worker thread, one jobspec at a time from a bounded queue, each under a time limit
// and the thread under a heap limit, so a huge or pathological jobspec costs a refused request,
// never a blocked server. Same design as @berth/acl's policy parser thread.
//
//   parse() ──► size check ──► queue (at most maxQueued, else JobspecParserBusyError)
//                                │ one at a time, once the worker said ready
//                                ▼
//                              worker: parseJobspec ──► job | JobspecError (hcl's message)
//                                │ over the time limit: worker terminated, JobspecError
//                                │ worker died or failed mid-parse: JobspecError, new worker
//                                ▼
//                              next queued parse (on a new worker when the old one is gone)
import type { ResourceLimits, Worker } from 'node:worker_threads';
import { JobspecError } from '../errors.js';
import type { ValueObject } from '../value.js';
import type { WorkerMessage } from './protocol.js';
import { PARSE_WORKER_URL, startParseWorker } from './start-worker.js';

/**
 * Largest jobspec (plus variables) accepted: 1 MiB. Real jobspecs are a few KiB; a 1 MiB one
 * parses in well under a second, and the JSON it expands to stays far inside the worker's heap.
 */
export const MAX_JOBSPEC_BYTES = 1024 * 1024;

const MAX_QUEUED = 16;
/** Longest one parse may take; a jobspec at the size limit parses in about a second. */
const PARSE_TIMEOUT_MS = 10_000;
/** Longest a new worker may take to load the WASM parser. */
const START_TIMEOUT_MS = 30_000;
const RESOURCE_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 256 };

/** A parse refused unread because too many are waiting. */
export class JobspecParserBusyError extends Error {
  override readonly name = 'JobspecParserBusyError';
  constructor() {
    super(`the jobspec parser is busy: ${MAX_QUEUED} jobspecs are waiting to be parsed`);
  }
}

interface Job {
  id: number;
  hcl: string;
  variables: string;
  timeoutMs: number;
  resolve: (job: ValueObject) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  failure?: Error;
  startTimer: NodeJS.Timeout;
}

class JobspecParserThread {
  private readonly queue: Job[] = [];
  private slot: Slot | undefined;
  private running: Job | undefined;
  private nextId = 1;

  parse(hcl: string, variables: string, timeoutMs: number): Promise<ValueObject> {
    if (this.queue.length >= MAX_QUEUED) return Promise.reject(new JobspecParserBusyError());
    return new Promise<ValueObject>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, hcl, variables, timeoutMs, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    const slot = this.slot;
    this.slot = undefined;
    const jobs = this.running === undefined ? [...this.queue] : [this.running, ...this.queue];
    this.running = undefined;
    this.queue.length = 0;
    for (const job of jobs) {
      clearTimeout(job.timer);
      job.reject(new Error('the jobspec parser was closed'));
    }
    if (slot !== undefined) {
      clearTimeout(slot.startTimer);
      await slot.worker.terminate();
    }
  }

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
        this.failQueued(error);
        return;
      }
    }
    const job = slot.ready ? this.queue.shift() : undefined;
    if (job === undefined) return;
    this.running = job;
    slot.worker.ref();
    const current = slot;
    job.timer = setTimeout(() => this.timedOut(current, job), job.timeoutMs);
    slot.worker.postMessage({ id: job.id, hcl: job.hcl, variables: job.variables });
  }

  private start(): Slot {
    const worker = startParseWorker(PARSE_WORKER_URL, RESOURCE_LIMITS);
    const slot: Slot = {
      worker,
      ready: false,
      startTimer: setTimeout(() => {
        slot.failure = new Error(`it did not load the parser within ${START_TIMEOUT_MS} ms`);
        void worker.terminate();
      }, START_TIMEOUT_MS),
    };
    this.slot = slot;
    worker.on('message', (message: WorkerMessage) => this.received(slot, message));
    worker.on('error', (error) => (slot.failure = error));
    worker.on('exit', (code) => this.exited(slot, code));
    return slot;
  }

  private received(slot: Slot, message: WorkerMessage): void {
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
    if (message.kind !== 'parsed' && message.ending === true) {
      // Forgotten at once, so the next parse starts a new worker instead of meeting this exit.
      this.slot = undefined;
      clearTimeout(slot.startTimer);
      void slot.worker.terminate();
    }
    switch (message.kind) {
      case 'parsed':
        job.resolve(message.job);
        break;
      case 'refused':
        job.reject(new JobspecError(message.message));
        break;
      case 'fault': {
        // hcl's Go runtime (WASM) failed on this input; the worker ends itself and is replaced.
        const cause = Object.assign(new Error(message.message), { stack: message.stack });
        job.reject(
          new JobspecError(`the parser failed on this jobspec: ${message.message}`, { cause }),
        );
        break;
      }
    }
    this.pump();
  }

  private timedOut(slot: Slot, job: Job): void {
    if (this.running !== job || this.slot !== slot) return;
    this.running = undefined;
    this.slot = undefined;
    void slot.worker.terminate();
    job.reject(new JobspecError(`the jobspec took more than ${job.timeoutMs} ms to parse`));
    this.pump();
  }

  private failQueued(cause: unknown): void {
    const why = cause instanceof Error ? cause.message : String(cause);
    for (const job of this.queue.splice(0)) {
      job.reject(new Error(`the jobspec parser thread did not start: ${why}`, { cause }));
    }
  }

  private exited(slot: Slot, code: number): void {
    clearTimeout(slot.startTimer);
    if (slot !== this.slot) return;
    this.slot = undefined;
    const why = slot.failure?.message ?? `exit code ${code}`;
    if (!slot.ready) {
      this.failQueued(slot.failure ?? new Error(why));
      return;
    }
    const job = this.running;
    if (job !== undefined) {
      clearTimeout(job.timer);
      this.running = undefined;
      // Most likely this jobspec's doing (the heap is bounded): refused, never retried.
      job.reject(new JobspecError(`the parser stopped on this jobspec: ${why}`));
    }
    this.pump();
  }
}

let shared: JobspecParserThread | undefined;

/** Options of {@link parseJobspecOffThread}. */
export interface ParseOffThreadOptions {
  /** A variables file's text. */
  variables?: string;
  /** This parse's time limit in ms (default 10 s). */
  timeoutMs?: number;
}

/**
 * Parses a jobspec as parseJobspec does, on the process's shared parser thread. Rejects with a
 * {@link JobspecError} (bad HCL, bad variables, over the size or time limit), with
 * {@link JobspecParserBusyError} when too many parses wait, or with another Error when the
 * thread itself fails.
 */
export function parseJobspecOffThread(
  hcl: string,
  options: ParseOffThreadOptions = {},
): Promise<ValueObject> {
  const variables = options.variables ?? '';
  const size = Buffer.byteLength(hcl) + Buffer.byteLength(variables);
  if (size > MAX_JOBSPEC_BYTES) {
    return Promise.reject(
      new JobspecError(
        `the jobspec and its variables are ${size} bytes, more than the limit of ${MAX_JOBSPEC_BYTES}`,
      ),
    );
  }
  shared ??= new JobspecParserThread();
  return shared.parse(hcl, variables, options.timeoutMs ?? PARSE_TIMEOUT_MS);
}

/** Stops the shared parser thread; a later parse starts a new one. */
export async function closeJobspecParserThread(): Promise<void> {
  const thread = shared;
  shared = undefined;
  await thread?.close();
}

let holders = 0;

/**
 * Marks the shared parser thread as used by a server until the returned function is called; the
 * thread stops when its last holder lets go.
 */
export function holdJobspecParserThread(): () => Promise<void> {
  holders++;
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    holders--;
    if (holders === 0) await closeJobspecParserThread();
  };
}
