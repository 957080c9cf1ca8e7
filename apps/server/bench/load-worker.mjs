// The benchmark's HTTP client, run in a worker thread so that it has the second core and the
// server's thread does only server work. Plain JavaScript so the worker needs no TypeScript loader.
//   throughput: keep `connections` requests in flight for `seconds`, count the answers;
//   latency:    `count` requests one after another, each one's time in milliseconds;
//   fanout:     `count` requests at once; report when all are sent and when the last answers.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const now = () => performance.timeOrigin + performance.now();

function get(url, agent) {
  return new Promise((resolve) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      })
      .on('error', () => resolve(0));
  });
}

async function throughput({ url, connections, seconds }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const end = Date.now() + seconds * 1000;
  let requests = 0;
  let errors = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        if ((await get(url, agent)) === 200) requests++;
        else errors++;
      }
    }),
  );
  agent.destroy();
  return { requests, errors, seconds: (Date.now() - started) / 1000 };
}

async function latency({ url, count }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const times = [];
  let errors = 0;
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    if ((await get(url, agent)) !== 200) errors++;
    times.push(performance.now() - t0);
  }
  agent.destroy();
  return { times, errors };
}

async function fanout({ url, count }) {
  const agent = new http.Agent({ keepAlive: false, maxSockets: count });
  let errors = 0;
  let answered = 0;
  const all = Array.from({ length: count }, () =>
    get(url, agent).then((status) => {
      answered++;
      if (status !== 200) errors++;
    }),
  );
  parentPort.postMessage({ sent: true });
  await Promise.all(all);
  return { lastAnswerAt: now(), errors, answered };
}

const modes = { throughput, latency, fanout };
parentPort.postMessage(await modes[workerData.mode](workerData));
