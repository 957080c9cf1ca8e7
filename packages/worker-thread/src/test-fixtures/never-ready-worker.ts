// A worker for queue.test.ts whose warm-up never ends: it never says ready.
import { serveJobs } from '../serve.js';

await serveJobs(
  () => ({ answer: 'unreachable' }),
  () => new Promise(() => undefined),
);
