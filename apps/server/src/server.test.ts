import { createClient } from '@berth/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startServer, type RunningServer } from './server.js';
import { openStateStore } from './state/index.js';
import { seed } from './test-support/harness.js';
import { mockEval, mockJob, mockNode } from './test-support/mock.js';
import { waitForState } from './test-support/wait-for-state.js';

let dataDir: string;
let server: RunningServer | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'berth-server-'));
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

test('a started server schedules pending evaluations, including those stored before it started', async () => {
  server = await startServer({ dataDir, httpPort: 0 });
  const job = mockJob(); // 10 allocations; each node holds 8
  const ev = mockEval({ JobID: job.ID, TriggeredBy: 'job-register' });
  await seed(server.store, { nodes: [mockNode(), mockNode()], jobs: [job] });
  await server.close();

  // Written while no server runs: the next one picks it up on start.
  const offline = openStateStore({ dataDir });
  await seed(offline, { evals: [ev] });
  offline.close();

  server = await startServer({ dataDir, httpPort: 0 });
  const running = server;
  await waitForState(running.store, () => running.store.evalByID(ev.ID)?.Status === 'complete');
  const client = createClient({ address: running.address });
  const { data } = await client.evaluations.allocations(ev.ID);
  expect(data).toHaveLength(10);
  expect(data.every((a) => a.DesiredStatus === 'run')).toBe(true);
});
