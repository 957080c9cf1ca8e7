// The body of the policy parser thread: parsePolicy for the thread that started it, one request
// at a time, answering each with the policy or the refusal (see protocol.ts).
import { serveJobs, type Served } from '@berth/worker-thread';
import { PolicyParseError } from '../errors.js';
import { parsePolicy } from '../parse.js';
import type { ParseAnswer, ParseRequest } from './protocol.js';

function answer(request: ParseRequest): Served<ParseAnswer> {
  try {
    const policy = parsePolicy(request.rules, { strict: request.strict });
    return { answer: { kind: 'parsed', policy } };
  } catch (error) {
    if (error instanceof PolicyParseError) {
      return { answer: { kind: 'refused', message: error.message, line: error.line } };
    }
    const fault = error instanceof Error ? error : new Error(String(error));
    return { answer: { kind: 'fault', message: fault.message, stack: fault.stack } };
  }
}

// Loads the parser (gopherjs, slow to start) before taking work, so that a parse's time limit
// counts parsing alone.
await serveJobs(answer, () => parsePolicy('node { policy = "read" }'));
