// parsePolicy off the caller's event loop: one long-lived worker thread, started on first use,
// parsing one policy at a time from a bounded queue, each parse under a time limit. A thread
// that dies (or is stopped at a time limit) is replaced for the parses still queued.
//
//   parse() ──► queue (at most maxQueued, else PolicyParserBusyError)
//                 │ one at a time, once the worker said ready
//                 ▼
//               worker: parsePolicy ──► policy | PolicyParseError (the same text as on this thread)
//                 │ over the time limit: worker terminated, PolicyParseError "took more than"
//                 │ worker died mid-parse: PolicyParseError "the parser stopped"
//                 ▼
//               next queued parse (on a new worker when the old one is gone)
import type { ResourceLimits, Worker } from 'node:worker_threads';
import { PolicyParseError } from '../errors.js';
import { PARSE_FAILED } from '../hcl.js';
import type { ParseOptions } from '../parse.js';
import type { Policy } from '../types.js';
import type { WorkerMessage } from './protocol.js';
import { PARSE_WORKER_URL, startParseWorker } from './start-worker.js';

/** Parses waiting for the thread, besides the one it runs, before more are refused. */
export const DEFAULT_MAX_QUEUED = 16;

/**
 * Longest one parse may take. Rules at the size limit parse in 0.2 to 0.7 s on a small machine,
 * so this refuses only rules that hold the thread far longer than any policy under the limit
 * should, with room for a loaded machine.
 */
export const DEFAULT_PARSE_TIMEOUT_MS = 5_000;

/** Longest a new worker may take to load the parser before the parses waiting for it fail. */
const START_TIMEOUT_MS = 30_000;

/** The worker's heap: ample for any policy under the size limit (about 20 MB), and no more. */
const DEFAULT_RESOURCE_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 128 };

/** Options of {@link PolicyParserThread.parse} and {@link parsePolicyOffThread}. */
export interface ParseOffThreadOptions extends ParseOptions {
  /** This parse's time limit, in ms (default: the thread's). */
  timeoutMs?: number;
}

/** Options of a {@link PolicyParserThread}. */
export interface ParserThreadOptions {
  /** Parses waiting, the one running aside; 1 or more (default {@link DEFAULT_MAX_QUEUED}). */
  maxQueued?: number;
  /** Time limit of one parse, in ms (default {@link DEFAULT_PARSE_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** The worker's heap limits (default: 128 MB of old generation). */
  resourceLimits?: ResourceLimits;
  /**
   * The worker's module (default {@link PARSE_WORKER_URL}); another must answer as protocol.ts
   * says. Tests use one that dies on cue.
   */
  workerUrl?: URL;
}

/** A parse refused unread because {@link DEFAULT_MAX_QUEUED} (or the set bound) are waiting. */
export class PolicyParserBusyError extends Error {
  override readonly name = 'PolicyParserBusyError';

  constructor(readonly maxQueued: number) {
    super(`the ACL policy parser is busy: ${maxQueued} policies are waiting to be parsed`);
  }
}

/** A parse abandoned because its thread was closed. */
export class PolicyParserClosedError extends Error {
  override readonly name = 'PolicyParserClosedError';

  constructor() {
    super('the ACL policy parser was closed');
  }
}

interface Job {
  id: number;
  rules: string;
  strict: boolean;
  timeoutMs: number;
  resolve: (policy: Policy) => void;
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

/** One worker thread that parses policies; see the top of this file. */
export class PolicyParserThread {
  private readonly maxQueued: number;
  private readonly timeoutMs: number;
  private readonly resourceLimits: ResourceLimits;
  private readonly workerUrl: URL;
  private readonly queue: Job[] = [];
  private slot: Slot | undefined;
  private running: Job | undefined;
  private nextId = 1;
  private startsCount = 0;

  constructor(options: ParserThreadOptions = {}) {
    this.maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
    if (!Number.isInteger(this.maxQueued) || this.maxQueued < 1) {
      throw new RangeError(`policy parser queue bound must be 1 or more, not ${this.maxQueued}`);
    }
    this.timeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS);
    this.resourceLimits = options.resourceLimits ?? DEFAULT_RESOURCE_LIMITS;
    this.workerUrl = options.workerUrl ?? PARSE_WORKER_URL;
  }

  /** Workers started so far (one, unless one died or was stopped at a time limit). */
  get starts(): number {
    return this.startsCount;
  }

  /**
   * Parses `rules` as {@link parsePolicy} does, on the worker. Rejects with the same
   * {@link PolicyParseError} parsePolicy throws; with a PolicyParseError when the parse takes
   * longer than its time limit or the worker dies during it; with {@link PolicyParserBusyError}
   * when the queue is full; with {@link PolicyParserClosedError} when {@link close} is called first.
   */
  parse(rules: string, options: ParseOffThreadOptions = {}): Promise<Policy> {
    const timeoutMs = checkTimeout(options.timeoutMs ?? this.timeoutMs);
    if (this.queue.length >= this.maxQueued) {
      return Promise.reject(new PolicyParserBusyError(this.maxQueued));
    }
    return new Promise<Policy>((resolve, reject) => {
      const strict = options.strict ?? true;
      this.queue.push({ id: this.nextId++, rules, strict, timeoutMs, resolve, reject });
      this.pump();
    });
  }

  /** Stops the worker; parses queued or running reject with {@link PolicyParserClosedError}. */
  async close(): Promise<void> {
    const slot = this.slot;
    this.slot = undefined;
    const jobs = this.running === undefined ? [...this.queue] : [this.running, ...this.queue];
    this.running = undefined;
    this.queue.length = 0;
    for (const job of jobs) {
      clearTimeout(job.timer);
      job.reject(new PolicyParserClosedError());
    }
    if (slot !== undefined) {
      clearTimeout(slot.startTimer);
      await slot.worker.terminate();
    }
  }

  /** Hands the next queued parse to the worker, starting one if there is none. */
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
    job.timer = setTimeout(() => this.timedOut(slot, job), job.timeoutMs);
    slot.worker.postMessage({ id: job.id, rules: job.rules, strict: job.strict });
  }

  private start(): Slot {
    const worker = startParseWorker(this.workerUrl, this.resourceLimits);
    this.startsCount++;
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
    switch (message.kind) {
      case 'parsed':
        job.resolve(message.policy);
        break;
      case 'refused':
        job.reject(new PolicyParseError(message.message, message.line));
        break;
      case 'fault': {
        const cause = Object.assign(new Error(message.message), { stack: message.stack });
        job.reject(new Error(`the ACL policy parser thread failed: ${message.message}`, { cause }));
        break;
      }
    }
    this.pump();
  }

  /** The running parse is over its limit: the worker is stopped, the parse refused. */
  private timedOut(slot: Slot, job: Job): void {
    if (this.running !== job || this.slot !== slot) return;
    this.running = undefined;
    // Forgotten at once: its exit is ours, and the next parse gets a fresh worker.
    this.slot = undefined;
    void slot.worker.terminate();
    job.reject(
      new PolicyParseError(`${PARSE_FAILED}the rules took more than ${job.timeoutMs} ms to parse`),
    );
    this.pump();
  }

  /**
   * A worker could not start: the parses waiting for it fail (a fault, not their rules'); the
   * next parse tries a new worker.
   */
  private failQueued(why: string, cause: unknown): void {
    for (const job of this.queue.splice(0)) {
      job.reject(new Error(`the ACL policy parser thread did not start: ${why}`, { cause }));
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
      // Most likely these rules' doing (its heap is bounded); refused, never retried.
      job.reject(new PolicyParseError(`${PARSE_FAILED}the parser stopped on these rules: ${why}`));
    }
    this.pump();
  }
}

function checkTimeout(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0 || ms > 2 ** 31 - 1) {
    throw new RangeError(`policy parse time limit must be 1 to 2147483647 ms, not ${ms}`);
  }
  return ms;
}

let shared: PolicyParserThread | undefined;

/**
 * Parses `rules` as {@link parsePolicy} does, on the process's shared parser thread (started on
 * first use, with the default bounds): see {@link PolicyParserThread.parse}.
 */
export function parsePolicyOffThread(
  rules: string,
  options: ParseOffThreadOptions = {},
): Promise<Policy> {
  shared ??= new PolicyParserThread();
  return shared.parse(rules, options);
}

/**
 * Stops the shared parser thread; its waiting parses reject with
 * {@link PolicyParserClosedError}. A later {@link parsePolicyOffThread} starts a new one.
 */
export async function closePolicyParserThread(): Promise<void> {
  const thread = shared;
  shared = undefined;
  await thread?.close();
}

let holders = 0;

/**
 * Marks the shared parser thread as used by a server until the returned function is called; the
 * thread is stopped when its last holder lets go (several servers may share a process, as in
 * tests). Parsing does not need a hold: an idle thread never keeps the process alive.
 */
export function holdPolicyParserThread(): () => Promise<void> {
  holders++;
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    holders--;
    if (holders === 0) await closePolicyParserThread();
  };
}
