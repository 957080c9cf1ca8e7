// The parse worker, except that it dies (exit code 7) when handed the rules `die`, as a worker
// that crashes mid-parse does. For parser-thread.test.ts, which runs it from source (tsx).
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (request) => {
  if (request.rules === 'die') process.exit(7);
});
await import('../parse-worker.ts');
