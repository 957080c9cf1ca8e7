// A closed-loop HTTP load generator, run in a worker thread so it has the second core: it keeps
// `connections` requests in flight for `seconds` and counts the answers. Plain JavaScript so the
// worker needs no TypeScript loader.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { url, connections, seconds } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const end = Date.now() + seconds * 1000;
let requests = 0;
let errors = 0;

const one = () =>
  new Promise((resolve) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) requests++;
          else errors++;
          resolve();
        });
      })
      .on('error', () => {
        errors++;
        resolve();
      });
  });

const started = Date.now();
await Promise.all(
  Array.from({ length: connections }, async () => {
    while (Date.now() < end) await one();
  }),
);
agent.destroy();
parentPort.postMessage({ requests, errors, seconds: (Date.now() - started) / 1000 });
