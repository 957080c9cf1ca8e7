// A queue on test-worker.ts for the tests (and the process idle.test.ts starts): errors that say
// which wording hook made them, and small bounds.
import { WorkerThreadQueue, type WorkerThreadQueueOptions } from '../queue.js';
import type { TestAnswer, TestRequest } from './test-worker.js';

/** The errors of the test's wording: each says which hook made it. */
export class QueueError extends Error {
  constructor(
    readonly hook: string,
    message: string,
  ) {
    super(message);
  }
}

export const wording: WorkerThreadQueueOptions['wording'] = {
  busy: (maxQueued) => new QueueError('busy', `busy: ${maxQueued} waiting`),
  closed: () => new QueueError('closed', 'closed'),
  timedOut: (ms) => new QueueError('timedOut', `took more than ${ms} ms`),
  stopped: (why) => new QueueError('stopped', `stopped: ${why}`),
  didNotStart: (why) => new QueueError('didNotStart', `did not start: ${why}`),
  notReady: (ms) => `not ready within ${ms} ms`,
};

export function testQueue(
  options: Partial<WorkerThreadQueueOptions> = {},
): WorkerThreadQueue<TestRequest, TestAnswer> {
  return new WorkerThreadQueue<TestRequest, TestAnswer>({
    workerUrl: new URL('./test-worker.ts', import.meta.url),
    name: 'test queue',
    maxQueued: 4,
    timeoutMs: 10_000,
    startTimeoutMs: 30_000,
    resourceLimits: { maxOldGenerationSizeMb: 64 },
    wording,
    ...options,
  });
}
