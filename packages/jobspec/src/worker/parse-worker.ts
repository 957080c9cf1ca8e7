// The body of the jobspec parser thread: parseJobspec for the thread that started it, one
// request at a time (see protocol.ts).
import { serveJobs, type Served } from '@berth/worker-thread';
import { JobspecError } from '../errors.js';
import { parseJobspec } from '../job.js';
import type { ParseAnswer, ParseRequest } from './protocol.js';

/** The answer, and whether this thread must end after it (its WASM parser may be broken). */
async function answer(request: ParseRequest): Promise<Served<ParseAnswer>> {
  try {
    const job = await parseJobspec(request.hcl, { variables: request.variables });
    return { answer: { kind: 'parsed', job } };
  } catch (error) {
    // A stack overflow (inside the parser or the JSON it hands back) is the jobspec's doing, but
    // may leave the Go runtime in the WASM module broken: refused, and the thread replaced.
    if (error instanceof Error && /Maximum call stack/.test(error.message)) {
      const message = 'the jobspec is nested too deeply to parse';
      return { answer: { kind: 'refused', message }, ending: true };
    }
    if (error instanceof JobspecError) {
      return { answer: { kind: 'refused', message: error.message } };
    }
    const fault = error instanceof Error ? error : new Error(String(error));
    return { answer: { kind: 'fault', message: fault.message, stack: fault.stack }, ending: true };
  }
}

// Loads the WASM parser before taking work, so a parse's time limit counts parsing alone.
await serveJobs(answer, () => parseJobspec('job "warm" {}'));
