// The body of the jobspec parser thread: parseJobspec for the thread that started it, one
// request at a time (see protocol.ts).
import { parentPort } from 'node:worker_threads';
import { JobspecError } from '../errors.js';
import { parseJobspec } from '../job.js';
import type { ParseRequest, WorkerMessage } from './protocol.js';

const port = parentPort;
if (port === null) throw new Error('parse-worker runs only in a worker thread');

/** The answer, and whether this thread must end after it (its WASM parser may be broken). */
async function answer(request: ParseRequest): Promise<[WorkerMessage, boolean]> {
  try {
    const job = await parseJobspec(request.hcl, { variables: request.variables });
    return [{ kind: 'parsed', id: request.id, job }, false];
  } catch (error) {
    // A stack overflow (inside the parser or the JSON it hands back) is the jobspec's doing, but
    // may leave the Go runtime in the WASM module broken: refused, and the thread replaced.
    if (error instanceof Error && /Maximum call stack/.test(error.message)) {
      const message = 'the jobspec is nested too deeply to parse';
      return [{ kind: 'refused', id: request.id, message }, true];
    }
    if (error instanceof JobspecError) {
      return [{ kind: 'refused', id: request.id, message: error.message }, false];
    }
    const fault = error instanceof Error ? error : new Error(String(error));
    return [{ kind: 'fault', id: request.id, message: fault.message, stack: fault.stack }, true];
  }
}

port.on('message', (request: ParseRequest) => {
  void answer(request).then(([message, end]) => {
    port.postMessage(end ? { ...message, ending: true } : message);
    if (end) process.exit(1);
  });
});
// Loads the WASM parser before taking work, so a parse's time limit counts parsing alone.
await parseJobspec('job "warm" {}');
port.postMessage({ kind: 'ready' } satisfies WorkerMessage);
