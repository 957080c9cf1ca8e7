// A worker for queue.test.ts in plain JavaScript, started without tsx as a built package's worker
// is: it speaks the queue's protocol (protocol.ts) by hand, echoing each request's `value`.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (message) => {
  parentPort.postMessage({ kind: 'answer', id: message.id, answer: { echoed: message.value } });
});
parentPort.postMessage({ kind: 'ready' });
