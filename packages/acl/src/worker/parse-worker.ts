// The body of the policy parser thread: parsePolicy for the thread that started it, one request
// at a time, answering each with the policy or the refusal (see protocol.ts).
import { parentPort } from 'node:worker_threads';
import { PolicyParseError } from '../errors.js';
import { parsePolicy } from '../parse.js';
import type { ParseRequest, WorkerMessage } from './protocol.js';

const port = parentPort;
if (port === null) throw new Error('parse-worker runs only in a worker thread');

function answer(request: ParseRequest): WorkerMessage {
  try {
    return {
      kind: 'parsed',
      id: request.id,
      policy: parsePolicy(request.rules, { strict: request.strict }),
    };
  } catch (error) {
    if (error instanceof PolicyParseError) {
      return { kind: 'refused', id: request.id, message: error.message, line: error.line };
    }
    const fault = error instanceof Error ? error : new Error(String(error));
    return { kind: 'fault', id: request.id, message: fault.message, stack: fault.stack };
  }
}

port.on('message', (request: ParseRequest) => port.postMessage(answer(request)));
// Loads the parser (gopherjs, slow to start) before taking work, so that a parse's time limit
// counts parsing alone.
parsePolicy('node { policy = "read" }');
port.postMessage({ kind: 'ready' } satisfies WorkerMessage);
