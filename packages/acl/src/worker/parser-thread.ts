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
import { fromSource, Shared, WorkerThreadQueue, workerBeside } from '@berth/worker-thread';
import type { ResourceLimits } from 'node:worker_threads';
import { PolicyParseError } from '../errors.js';
import { PARSE_FAILED } from '../hcl.js';
import type { ParseOptions } from '../parse.js';
import type { Policy } from '../types.js';
import type { ParseAnswer, ParseRequest } from './protocol.js';

/**
 * The worker's module, beside this one: `.ts` in the source tree (started through tsx), `.js` in
 * `dist`.
 */
export const PARSE_WORKER_URL = workerBeside(import.meta.url, 'parse-worker');

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

/** One worker thread that parses policies; see the top of this file. */
export class PolicyParserThread {
  private readonly queue: WorkerThreadQueue<ParseRequest, ParseAnswer>;

  constructor(options: ParserThreadOptions = {}) {
    this.queue = new WorkerThreadQueue({
      workerUrl: options.workerUrl ?? PARSE_WORKER_URL,
      // As this module runs: a test's worker script (.mjs) imports parse-worker.ts from source.
      source: fromSource(import.meta.url),
      name: 'policy parser',
      maxQueued: options.maxQueued ?? DEFAULT_MAX_QUEUED,
      timeoutMs: options.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS,
      startTimeoutMs: START_TIMEOUT_MS,
      resourceLimits: options.resourceLimits ?? DEFAULT_RESOURCE_LIMITS,
      wording: {
        busy: (maxQueued) => new PolicyParserBusyError(maxQueued),
        closed: () => new PolicyParserClosedError(),
        timedOut: (ms) =>
          new PolicyParseError(`${PARSE_FAILED}the rules took more than ${ms} ms to parse`),
        // Most likely these rules' doing (its heap is bounded); refused, never retried.
        stopped: (why) =>
          new PolicyParseError(`${PARSE_FAILED}the parser stopped on these rules: ${why}`),
        didNotStart: (why, cause) =>
          new Error(`the ACL policy parser thread did not start: ${why}`, { cause }),
        notReady: (ms) => `it did not load the parser within ${ms} ms`,
      },
    });
  }

  /** Workers started so far (one, unless one died or was stopped at a time limit). */
  get starts(): number {
    return this.queue.starts;
  }

  /**
   * Parses `rules` as {@link parsePolicy} does, on the worker. Rejects with the same
   * {@link PolicyParseError} parsePolicy throws; with a PolicyParseError when the parse takes
   * longer than its time limit or the worker dies during it; with {@link PolicyParserBusyError}
   * when the queue is full; with {@link PolicyParserClosedError} when {@link close} is called first.
   */
  parse(rules: string, options: ParseOffThreadOptions = {}): Promise<Policy> {
    // Not async: a bad time limit throws here, as a bad bound throws from the constructor.
    const strict = options.strict ?? true;
    return this.queue.run({ rules, strict }, options.timeoutMs).then(policyOf);
  }

  /** Stops the worker; parses queued or running reject with {@link PolicyParserClosedError}. */
  close(): Promise<void> {
    return this.queue.close();
  }
}

/** The policy the worker parsed, or its refusal or fault as this thread's error. */
function policyOf(answer: ParseAnswer): Policy {
  switch (answer.kind) {
    case 'parsed':
      return answer.policy;
    case 'refused':
      throw new PolicyParseError(answer.message, answer.line);
    case 'fault': {
      const cause = Object.assign(new Error(answer.message), { stack: answer.stack });
      throw new Error(`the ACL policy parser thread failed: ${answer.message}`, { cause });
    }
  }
}

const shared = new Shared(() => new PolicyParserThread());

/**
 * Parses `rules` as {@link parsePolicy} does, on the process's shared parser thread (started on
 * first use, with the default bounds): see {@link PolicyParserThread.parse}.
 */
export function parsePolicyOffThread(
  rules: string,
  options: ParseOffThreadOptions = {},
): Promise<Policy> {
  return shared.get().parse(rules, options);
}

/**
 * Stops the shared parser thread; its waiting parses reject with
 * {@link PolicyParserClosedError}. A later {@link parsePolicyOffThread} starts a new one.
 */
export async function closePolicyParserThread(): Promise<void> {
  await shared.close();
}

/**
 * Marks the shared parser thread as used by a server until the returned function is called; the
 * thread is stopped when its last holder lets go (several servers may share a process, as in
 * tests). Parsing does not need a hold: an idle thread never keeps the process alive.
 */
export function holdPolicyParserThread(): () => Promise<void> {
  return shared.hold();
}
