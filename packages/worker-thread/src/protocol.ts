// The messages between a WorkerThreadQueue (queue.ts) and its worker (serve.ts on the worker side).
// A request travels with its fields as they are plus the job's `id`, so a worker script may read
// them straight off the message.

/** What the queue posts the worker: the job's request, and its id. */
export type JobMessage<Request extends object> = Request & { id: number };

/** What the worker posts back: once `ready` (it can take work), then one answer per job. */
export type WorkerMessage<Answer> =
  | { kind: 'ready' }
  /** `ending`: the worker ends itself after this answer; the next job needs a new worker. */
  | { kind: 'answer'; id: number; answer: Answer; ending?: boolean };
