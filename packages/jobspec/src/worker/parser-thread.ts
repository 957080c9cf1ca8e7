// parseJobspec off the caller's event loop: the WASM parser and the evaluator run in one
// long-lived worker thread, one jobspec at a time from a bounded queue, each under a time limit
// and the thread under a heap limit, so a huge or pathological jobspec costs a refused request,
// never a blocked server. The queue and its worker are @berth/worker-thread's, as for @berth/acl's
// policy parser thread.
//
//   parse() ──► size check ──► queue (at most maxQueued, else JobspecParserBusyError)
//                                │ one at a time, once the worker said ready
//                                ▼
//                              worker: parseJobspec ──► job | JobspecError (hcl's message)
//                                │ over the time limit: worker terminated, JobspecError
//                                │ worker died or failed mid-parse: JobspecError, new worker
//                                ▼
//                              next queued parse (on a new worker when the old one is gone)
import { fromSource, Shared, WorkerThreadQueue, workerBeside } from '@berth/worker-thread';
import type { ResourceLimits } from 'node:worker_threads';
import { JobspecError } from '../errors.js';
import type { ValueObject } from '../value.js';
import type { ParseAnswer, ParseRequest } from './protocol.js';

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

/** The worker's module, beside this one: `.ts` in the source tree, `.js` in `dist`. */
const PARSE_WORKER_URL = workerBeside(import.meta.url, 'parse-worker');

function startThread(): WorkerThreadQueue<ParseRequest, ParseAnswer> {
  return new WorkerThreadQueue({
    workerUrl: PARSE_WORKER_URL,
    source: fromSource(import.meta.url),
    name: 'jobspec parser',
    maxQueued: MAX_QUEUED,
    timeoutMs: PARSE_TIMEOUT_MS,
    startTimeoutMs: START_TIMEOUT_MS,
    resourceLimits: RESOURCE_LIMITS,
    wording: {
      busy: () => new JobspecParserBusyError(),
      closed: () => new Error('the jobspec parser was closed'),
      timedOut: (ms) => new JobspecError(`the jobspec took more than ${ms} ms to parse`),
      // Most likely this jobspec's doing (the heap is bounded): refused, never retried.
      stopped: (why) => new JobspecError(`the parser stopped on this jobspec: ${why}`),
      didNotStart: (why, cause) =>
        new Error(`the jobspec parser thread did not start: ${why}`, {
          cause: cause ?? new Error(why),
        }),
      notReady: (ms) => `it did not load the parser within ${ms} ms`,
    },
  });
}

/** The job the worker parsed, or its refusal or fault as a JobspecError. */
function jobOf(answer: ParseAnswer): ValueObject {
  switch (answer.kind) {
    case 'parsed':
      return answer.job;
    case 'refused':
      throw new JobspecError(answer.message);
    case 'fault': {
      // hcl's Go runtime (WASM) failed on this input; the worker ends itself and is replaced.
      const cause = Object.assign(new Error(answer.message), { stack: answer.stack });
      throw new JobspecError(`the parser failed on this jobspec: ${answer.message}`, { cause });
    }
  }
}

const shared = new Shared(startThread);

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
  return shared.get().run({ hcl, variables }, options.timeoutMs).then(jobOf);
}

/** Stops the shared parser thread; a later parse starts a new one. */
export async function closeJobspecParserThread(): Promise<void> {
  await shared.close();
}

/**
 * Marks the shared parser thread as used by a server until the returned function is called; the
 * thread stops when its last holder lets go.
 */
export function holdJobspecParserThread(): () => Promise<void> {
  return shared.hold();
}
