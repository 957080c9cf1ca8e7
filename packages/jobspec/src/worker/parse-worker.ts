// The body of the jobspec parser thread: parseJobspec for the thread that started it, one
// request at a time (see protocol.ts).
import { parentPort } from 'node:worker_threads';
import { JobspecError } from '../errors.js';
import { parseJobspec } from '../job.js';
import type { ParseRequest, WorkerMessage } from './protocol.js';

const port = parentPort;
if (port === null) throw new Error('parse-worker runs only in a worker thread');

async function answer(request: ParseRequest): Promise<WorkerMessage> {
  try {
    const job = await parseJobspec(request.hcl, { variables: request.variables });
    return { kind: 'parsed', id: request.id, job };
  } catch (error) {
    if (error instanceof JobspecError)
      return { kind: 'refused', id: request.id, message: error.message };
    const fault = error instanceof Error ? error : new Error(String(error));
    return { kind: 'fault', id: request.id, message: fault.message, stack: fault.stack };
  }
}

port.on('message', (request: ParseRequest) => {
  void answer(request).then((message) => port.postMessage(message));
});
// Loads the WASM parser before taking work, so a parse's time limit counts parsing alone.
await parseJobspec('job "warm" {}');
port.postMessage({ kind: 'ready' } satisfies WorkerMessage);
