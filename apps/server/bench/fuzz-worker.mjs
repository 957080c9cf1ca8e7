// Starts the fuzz benchmark's HTTP client (fuzz-client.ts) in a worker thread. Node 20 does not
// hand the main thread's tsx loader to workers, so the worker registers its own first.
import { register } from 'tsx/esm/api';

register();
await import('./fuzz-client.ts');
