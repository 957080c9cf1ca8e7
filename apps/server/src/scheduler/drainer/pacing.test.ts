import type { Allocation, Job, Node } from '@berth/contract';
import { describe, expect, test } from 'vitest';
import { mockAlloc, mockJob, mockNode } from '../../test-support/mock.js';
import { drainStep, type DrainInput } from './pacing.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const ZERO = '0001-01-01T00:00:00Z';

function draining(deadlineNs = 0, forceAt = ZERO, ignoreSystem = false): Node {
  return mockNode({
    DrainStrategy: {
      Deadline: deadlineNs,
      IgnoreSystemJobs: ignoreSystem,
      ForceDeadline: forceAt,
      StartedAt: new Date(NOW).toISOString(),
    },
    SchedulingEligibility: 'ineligible',
  });
}

function serviceJob(count: number, maxParallel: number, type = 'service'): Job {
  const job = mockJob({ Type: type as Job['Type'] });
  const tg = job.TaskGroups![0]!;
  return {
    ...job,
    TaskGroups: [
      {
        ...tg,
        Count: count,
        Migrate: {
          MaxParallel: maxParallel,
          HealthCheck: 'checks',
          MinHealthyTime: 0,
          HealthyDeadline: 0,
        },
      },
    ],
  };
}

function alloc(job: Job, nodeID: string, over: Partial<Allocation> = {}): Allocation {
  return mockAlloc({ Job: job, JobID: job.ID, NodeID: nodeID, ClientStatus: 'running', ...over });
}

function input(node: Node, allocs: Allocation[], jobs: Job[], nowMs = NOW): DrainInput {
  return {
    node,
    nodeAllocs: allocs.filter((a) => a.NodeID === node.ID),
    jobAllocs: (ns, id) => allocs.filter((a) => a.Namespace === ns && a.JobID === id),
    job: (ns, id) => jobs.find((j) => j.Namespace === ns && j.ID === id),
    nowMs,
  };
}

const OTHER = '99999999-0000-4000-8000-000000000000';

describe('drainStep pacing', () => {
  test('marks no more than max_parallel of a group, then waits for the replacement to run', () => {
    const node = draining();
    const job = serviceJob(3, 1);
    const allocs = [alloc(job, node.ID), alloc(job, node.ID), alloc(job, node.ID)];
    const first = drainStep(input(node, allocs, [job]));
    expect(first.migrate).toHaveLength(1);
    expect(first.done).toBe(false);

    // Marked, and its replacement still pending elsewhere: nothing more moves.
    const marked = allocs.map((a, i) =>
      i === 0
        ? {
            ...a,
            DesiredStatus: 'stop' as const,
            DesiredTransition: { ...a.DesiredTransition, Migrate: true },
          }
        : a,
    );
    const replacement = alloc(job, OTHER, { ClientStatus: 'pending' });
    expect(drainStep(input(node, [...marked, replacement], [job])).migrate).toHaveLength(0);

    // The replacement runs: the next one may go.
    const running = { ...replacement, ClientStatus: 'running' as const };
    const next = drainStep(input(node, [...marked, running], [job]));
    expect(next.migrate.map((a) => a.ID)).toEqual([allocs[1]!.ID]);
  });

  test('max_parallel 2 moves two at once; healthy allocations elsewhere count', () => {
    const node = draining();
    const job = serviceJob(4, 2);
    const allocs = [
      alloc(job, node.ID),
      alloc(job, node.ID),
      alloc(job, node.ID),
      alloc(job, OTHER),
    ];
    expect(drainStep(input(node, allocs, [job])).migrate).toHaveLength(2);
  });

  test('an unhealthy group waits: fewer running than count - max_parallel moves none', () => {
    const node = draining();
    const job = serviceJob(3, 1);
    const allocs = [alloc(job, node.ID), alloc(job, node.ID, { ClientStatus: 'pending' })];
    expect(drainStep(input(node, allocs, [job])).migrate).toHaveLength(0);
  });

  test('batch allocations are left to finish until the deadline, then stopped', () => {
    const job = serviceJob(2, 1, 'batch');
    const withDeadline = draining(60e9, new Date(NOW + 60_000).toISOString());
    const allocs = [alloc(job, withDeadline.ID)];
    const before = drainStep(input(withDeadline, allocs, [job]));
    expect(before).toMatchObject({ migrate: [], done: false, deadlineMs: NOW + 60_000 });
    const after = drainStep(input(withDeadline, allocs, [job], NOW + 60_000));
    expect(after.migrate).toHaveLength(1);
    expect(after.deadlineMs).toBeUndefined();
  });

  test('a forced drain (-1) marks everything at once', () => {
    const node = draining(-1);
    const job = serviceJob(3, 1);
    const allocs = [alloc(job, node.ID), alloc(job, node.ID), alloc(job, node.ID)];
    expect(drainStep(input(node, allocs, [job])).migrate).toHaveLength(3);
  });

  test('done when nothing but terminal allocations is left; system allocations go last', () => {
    const node = draining();
    const job = serviceJob(1, 1);
    const system = serviceJob(1, 1, 'system');
    const done = alloc(job, node.ID, { ClientStatus: 'complete', DesiredStatus: 'stop' });
    const sys = alloc(system, node.ID);
    const step = drainStep(input(node, [done, sys], [job, system]));
    expect(step.done).toBe(true);
    expect(step.migrate.map((a) => a.ID)).toEqual([sys.ID]);

    const ignoring = draining(0, ZERO, true);
    const kept = drainStep(input(ignoring, [{ ...sys, NodeID: ignoring.ID }], [system]));
    expect(kept).toMatchObject({ migrate: [], done: true });
  });

  test('allocations already stopping are not marked again but keep the drain open', () => {
    const node = draining();
    const job = serviceJob(1, 1);
    const stopping = alloc(job, node.ID, { DesiredStatus: 'stop' });
    expect(drainStep(input(node, [stopping], [job]))).toMatchObject({ migrate: [], done: false });
  });
});
