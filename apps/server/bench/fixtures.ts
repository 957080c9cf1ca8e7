// The benchmark state: allocations of a three-task group, each task with ten events, as a busy
// cluster has them.
import type { Allocation, Job } from '@berth/contract';
import { mockAlloc, mockJob } from '../src/test-support/mock.js';
import type { StateStore } from '../src/state/index.js';

const TASKS = ['web', 'sidecar', 'logs'];
const EVENT_TYPES = ['Received', 'Task Setup', 'Started', 'Terminated', 'Restarting'];

export function benchJob(): Job {
  const base = mockJob();
  const group = base.TaskGroups![0]!;
  const task = group.Tasks![0]!;
  return {
    ...base,
    ID: 'bench',
    TaskGroups: [{ ...group, Count: 10_000, Tasks: TASKS.map((Name) => ({ ...task, Name })) }],
  };
}

export function benchAlloc(job: Job, i: number): Allocation {
  const now = Date.now() * 1_000_000;
  const events = Array.from({ length: 10 }, (_, e) => ({
    Type: EVENT_TYPES[e % EVENT_TYPES.length]!,
    Time: now + e,
    Message: e % 3 === 0 ? 'a message from the client' : '',
    Details: { restart_reason: 'Restart within policy' },
    StartDelay: 5_000_000_000,
  }));
  const taskStates = Object.fromEntries(
    TASKS.map((t) => [
      t,
      {
        State: 'running',
        Restarts: 2,
        StartedAt: '2026-11-27T04:31:08.123456789Z',
        FinishedAt: '0001-01-01T00:00:00Z',
        LastRestart: '2026-11-27T04:30:08.123456789Z',
        Events: events,
      },
    ]),
  );
  return mockAlloc({
    Job: job,
    Name: `bench.web[${i}]`,
    ClientStatus: 'running',
    TaskStates: taskStates as unknown as Allocation['TaskStates'],
  });
}

/** Writes `count` allocations of one job, in batches, and returns their IDs. */
export async function seedAllocations(store: StateStore, count: number): Promise<string[]> {
  const job = benchJob();
  const ids: string[] = [];
  for (let start = 0; start < count; start += 1_000) {
    await store.write((tx) => {
      if (start === 0)
        tx.upsertJob({
          ...job,
          CreateIndex: tx.index,
          ModifyIndex: tx.index,
          JobModifyIndex: tx.index,
        });
      for (let i = start; i < Math.min(count, start + 1_000); i++) {
        const alloc = benchAlloc(job, i);
        ids.push(alloc.ID);
        tx.upsertAlloc({
          ...alloc,
          CreateIndex: tx.index,
          ModifyIndex: tx.index,
          AllocModifyIndex: tx.index,
        });
      }
    });
  }
  return ids;
}
