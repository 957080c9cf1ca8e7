// @berth/worker-thread: a bounded job queue on one replaceable worker thread (queue.ts), the
// worker's side of it (serve.ts), and a process-wide shared instance with holds (shared.ts).
export { WorkerThreadQueue } from './queue.js';
export type { QueueWording, WorkerThreadQueueOptions } from './queue.js';
export { serveJobs } from './serve.js';
export type { Served } from './serve.js';
export { Shared } from './shared.js';
export type { Closable } from './shared.js';
export { fromSource, startWorker, workerBeside } from './start-worker.js';
export type { JobMessage, WorkerMessage } from './protocol.js';
