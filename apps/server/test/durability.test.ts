// A server killed with SIGKILL in the middle of a stream of stops loses none that it acknowledged,
// and its index never goes backwards across the restart.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { createClient } from '@berth/client';
import { openStateStore } from '../src/state/index.js';
import { mockAlloc, mockJob, mockNode } from '../src/test-support/mock.js';
import { exited, startServerProcess } from './support/server-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'berth-durability-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const startServer = () => startServerProcess(dataDir, children);

test('every acknowledged stop survives a SIGKILL', async () => {
  // Seed the data directory with allocations, as a scheduler would have left them.
  const job = mockJob();
  const node = mockNode();
  const ids: string[] = [];
  const seed = openStateStore({ dataDir });
  await seed.write((tx) => {
    tx.upsertNode({ ...node, CreateIndex: tx.index, ModifyIndex: tx.index });
    tx.upsertJob({
      ...job,
      CreateIndex: tx.index,
      ModifyIndex: tx.index,
      JobModifyIndex: tx.index,
    });
    for (let i = 0; i < 200; i++) {
      const alloc = mockAlloc({ Job: job, NodeID: node.ID, Name: `${job.Name}.web[${i}]` });
      ids.push(alloc.ID);
      tx.upsertAlloc({ ...alloc, CreateIndex: tx.index, ModifyIndex: tx.index });
    }
  });
  seed.close();

  const first = await startServer();
  const client = createClient({ address: first.address });
  const acknowledged = new Map<string, { evalID: string; index: number }>();
  let lastIndex = 0;
  let killed = false;
  const stream = (async () => {
    for (const id of ids) {
      try {
        const { data } = await client.allocations.stop(id);
        acknowledged.set(id, { evalID: data.EvalID, index: data.Index });
        expect(data.Index).toBeGreaterThan(lastIndex);
        lastIndex = data.Index;
      } catch (error) {
        if (killed) return;
        throw error;
      }
    }
  })();
  // Kill it mid-stream, without warning.
  while (acknowledged.size < 50) await new Promise((r) => setTimeout(r, 5));
  killed = true;
  first.child.kill('SIGKILL');
  await stream;
  await exited(first.child);
  expect(acknowledged.size).toBeGreaterThanOrEqual(50);
  expect(acknowledged.size).toBeLessThan(ids.length);

  const second = await startServer();
  const again = createClient({ address: second.address });
  for (const [id, ack] of acknowledged) {
    const { data: alloc, meta } = await again.allocations.info(id);
    expect(alloc.DesiredTransition.Migrate).toBe(true);
    // The scheduler may have acted on the stop since (marking it stopped, placing a replacement).
    expect(alloc.ModifyIndex).toBeGreaterThanOrEqual(ack.index);
    expect(meta.lastIndex).toBe(alloc.ModifyIndex);
  }
  // A new write after the restart gets an index above everything acknowledged before.
  const unstopped = ids.find((id) => !acknowledged.has(id))!;
  const { data } = await again.allocations.stop(unstopped);
  expect(data.Index).toBeGreaterThan(lastIndex);
  second.child.kill('SIGTERM');
  await exited(second.child);

  // Each acknowledged stop's evaluation was committed with it.
  const reopened = openStateStore({ dataDir });
  for (const ack of acknowledged.values()) {
    const evaluation = reopened.evalByID(ack.evalID);
    expect(evaluation?.TriggeredBy).toBe('alloc-stop');
    // Pending, or already processed by the scheduler before the kill or after the restart.
    expect(['pending', 'complete']).toContain(evaluation?.Status);
  }
  reopened.close();
});
