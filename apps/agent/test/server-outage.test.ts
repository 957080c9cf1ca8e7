// The agent while its server is briefly away: tasks keep running, state changes made meanwhile are
// delivered once a server answers again (Nomad's client retries its alloc updates), and the node
// is ready again.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Allocation } from '@berth/contract';
import { startServer, type RunningServer } from '@berth/server';
import { afterEach, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../src/agent.js';
import { killRecorded, lines, recorderJob, waitFor } from './support/cluster.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function api<T>(address: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(address + path, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

it('delivers the state changes made while the server was away once it is back', async () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-outage-'));
  cleanup.push(() => rmSync(root, { recursive: true, force: true }));
  cleanup.push(() =>
    killRecorded(
      readdirSync(root, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('pids'))
        .map((f) => join(root, f)),
    ),
  );
  let server: RunningServer = await startServer({ httpPort: 0, dataDir: join(root, 'server') });
  const port = Number(new URL(server.address).port);
  cleanup.push(() => server.close().catch(() => {}));
  const agent: RunningAgent = await startAgent({
    servers: [server.address],
    dataDir: join(root, 'n1'),
    nodeName: 'n1',
    pollWaitMs: 2_000,
  });
  cleanup.push(() => agent.close());

  await api(server.address, 'PUT', '/v1/jobs', { Job: recorderJob('outage') });
  const [alloc] = await waitFor(
    () => api<Allocation[]>(server.address, 'GET', '/v1/job/outage/allocations'),
    (a) => a.length === 1 && a[0]!.ClientStatus === 'running',
  );

  await server.close();
  // A signal straight to the agent while no server answers: its event cannot be reported yet.
  const res = await fetch(`http://${agent.httpAddr}/v1/client/allocation/${alloc!.ID}/signal`, {
    method: 'POST',
    headers: { 'X-Nomad-Token': agent.secretID },
    body: JSON.stringify({ Signal: 'SIGUSR1' }),
  });
  expect(res.status).toBe(200);

  server = await startServer({ httpPort: port, dataDir: join(root, 'server') });
  const back = await waitFor(
    () => api<Allocation>(server.address, 'GET', `/v1/allocation/${alloc!.ID}`),
    (a) => a.TaskStates?.recorder?.Events?.some((e) => e.Type === 'Signaling') === true,
  );
  expect(back.ClientStatus).toBe('running');
  const node = await api<{ Status: string }>(server.address, 'GET', `/v1/node/${agent.nodeID}`);
  expect(node.Status).toBe('ready');
  // Still the one process it started before the outage.
  const pids = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('pids'),
  );
  expect(pids.flatMap((f) => lines(join(root, f)))).toHaveLength(1);
});
