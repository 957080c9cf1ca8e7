// The worker side of a WorkerThreadQueue: answers each job the queue hands this thread, one at a
// time, after saying it is ready (see protocol.ts).
import { parentPort } from 'node:worker_threads';
import type { JobMessage, WorkerMessage } from './protocol.js';

/** A job's answer, and whether this thread must end after it (its state may be broken). */
export interface Served<Answer> {
  answer: Answer;
  ending?: boolean;
}

/**
 * Answers every job with `handle`, once `warmUp` (loading what the jobs need, so that a job's
 * time limit counts its own work alone) is done. A `handle` that throws ends the thread, and the
 * queue reports the error as the worker's failure: handle the errors a job may meet in `handle`.
 */
export async function serveJobs<Request extends object, Answer>(
  handle: (request: Request) => Served<Answer> | Promise<Served<Answer>>,
  warmUp?: () => unknown,
): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('serveJobs runs only in a worker thread');
  port.on('message', (message: JobMessage<Request>) => {
    void (async () => {
      const { answer, ending } = await handle(message);
      const reply: WorkerMessage<Answer> = { kind: 'answer', id: message.id, answer };
      port.postMessage(ending === true ? { ...reply, ending } : reply);
      if (ending === true) process.exit(1);
    })().catch((error: unknown) => {
      // Thrown outside the promise, so the thread fails with it (its 'error' event) and ends.
      setImmediate(() => {
        throw error;
      });
    });
  });
  await warmUp?.();
  port.postMessage({ kind: 'ready' } satisfies WorkerMessage<Answer>);
}
