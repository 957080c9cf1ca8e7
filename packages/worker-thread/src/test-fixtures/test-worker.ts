// A worker for queue.test.ts, run from source (through tsx): it answers each request as its `op`
// says, and dies, ends, fails or runs out of heap on cue.
import { serveJobs, type Served } from '../serve.js';

export type TestRequest =
  | { op: 'echo'; value: unknown }
  /** Holds the thread (a busy loop, as a slow parse does) for `ms`, then answers. */
  | { op: 'spin'; ms: number }
  | { op: 'exit'; code: number }
  /** Answers, then ends itself: the next job needs a new worker. */
  | { op: 'end' }
  | { op: 'throw'; message: string }
  /** Allocates until the heap limit stops the thread. */
  | { op: 'hog' };

export type TestAnswer = { echoed: unknown } | { spun: number } | { ended: true };

const kept: unknown[] = [];

function handle(request: TestRequest): Served<TestAnswer> {
  switch (request.op) {
    case 'echo':
      return { answer: { echoed: request.value } };
    case 'spin': {
      const until = Date.now() + request.ms;
      while (Date.now() < until) {
        // Busy, as a parse is: nothing else runs on this thread meanwhile.
      }
      return { answer: { spun: request.ms } };
    }
    case 'exit':
      process.exit(request.code);
      break;
    case 'end':
      return { answer: { ended: true }, ending: true };
    case 'throw':
      throw new Error(request.message);
    case 'hog':
      for (;;) kept.push(Array.from({ length: 1024 }, (_, i) => ({ i })));
  }
  throw new Error(`unknown op in ${JSON.stringify(request)}`);
}

await serveJobs(handle);
