// Test helpers for the runners: allocations built through the contract schemas, a node, and
// polling until a condition holds (with a generous bound, never a speed assertion).
import { AllocationSchema, JobSchema, type Allocation, type Task } from '@berth/contract';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { TaskEnvNode } from '../../taskenv/task-env.js';

export const MS = 1_000_000;
export const SECOND = 1000 * MS;

/** The signal-recording node script used as a raw_exec task. */
export const SIGNAL_RECORDER = fileURLToPath(
  new URL('../../drivers/raw-exec/test-fixtures/signal-recorder.mjs', import.meta.url),
);

export interface TestAllocOptions {
  jobType?: 'service' | 'batch';
  restartPolicy?: { Attempts: number; Interval: number; Delay: number; Mode: 'fail' | 'delay' };
  desiredStatus?: 'run' | 'stop';
}

/** An allocation of a one-group job whose tasks are `tasks` (each a partial Task). */
export function testAlloc(tasks: Partial<Task>[], options: TestAllocOptions = {}): Allocation {
  const job = JobSchema.parse({
    ID: `test-${randomUUID().slice(0, 8)}`,
    Name: 'test-job',
    Namespace: 'default',
    Region: 'global',
    Type: options.jobType ?? 'service',
    Datacenters: ['dc1'],
    Meta: { owner: 'armon' },
    TaskGroups: [
      {
        Name: 'web',
        Count: 1,
        RestartPolicy: options.restartPolicy ?? {
          Attempts: 0,
          Interval: 60 * SECOND,
          Delay: 10 * MS,
          Mode: 'fail',
        },
        Meta: { group_key: 'g' },
        Tasks: tasks.map((t) => ({ Driver: 'mock_driver', KillTimeout: 2 * SECOND, ...t })),
      },
    ],
  });
  return AllocationSchema.parse({
    ID: randomUUID(),
    Namespace: 'default',
    Name: `${job.Name}.web[3]`,
    JobID: job.ID,
    Job: job,
    TaskGroup: 'web',
    NodeID: testNode.ID,
    DesiredStatus: options.desiredStatus ?? 'run',
    ClientStatus: 'pending',
    AllocatedResources: {
      Tasks: Object.fromEntries(
        tasks.map((t): [string, unknown] => [
          t.Name ?? '',
          { Cpu: { CpuShares: 500 }, Memory: { MemoryMB: 256 } },
        ]),
      ),
    },
  });
}

export const testNode: TaskEnvNode = {
  ID: '12345678-abcd-efab-cdef-123456789abc',
  Name: 'node-1',
  Datacenter: 'dc1',
  NodeClass: 'linux-small',
  NodePool: 'default',
  Attributes: { 'kernel.name': 'linux', 'unique.hostname': 'host-1' },
  Meta: { rack: 'r1' },
};

/** Polls `check` until it returns a value other than undefined/false (bounded at 10 s). */
export async function waitFor<T>(
  check: () => T | undefined | false,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
