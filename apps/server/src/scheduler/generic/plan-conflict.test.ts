// A plan that no longer fits when applied is partly rejected; the scheduler plans again what is
// missing, never placing more than the count, and gives up after Nomad's attempt limits.
import { AllocationSchema } from '@berth/contract';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';

import type { SchedulerState } from '../types.js';
import { GenericScheduler } from './generic-scheduler.js';
import { mockAlloc, mockEval, mockJob, mockNode } from '../../test-support/mock.js';
import { scenario, type Scenario } from './test-support/scenario.js';

let s: Scenario | undefined;
afterEach(() => s?.close());

describe('plan conflicts', () => {
  it('re-plans the rejected part after capacity was taken meanwhile', async () => {
    const job = mockJob({ ID: 'web' });
    job.TaskGroups![0]!.Count = 4;
    const [a, b] = [mockNode(), mockNode()];
    const other = mockJob({ ID: 'other' });
    let sc: Scenario | undefined;
    s = sc = await scenario(
      { jobs: [job, other], nodes: [a, b] },
      {
        checkCapacity: true,
        // Before the first plan lands, another job fills one of the nodes it chose.
        async beforeApply(plan, attempt) {
          if (attempt !== 1 || sc === undefined) return;
          const [nodeID] = [...plan.nodeAllocation.keys()];
          await sc.seed({
            allocs: [
              AllocationSchema.parse({
                ID: randomUUID(),
                Namespace: 'default',
                JobID: 'other',
                Job: other,
                TaskGroup: 'web',
                Name: 'other.web[0]',
                NodeID: nodeID,
                AllocatedResources: {
                  Tasks: { web: { Cpu: { CpuShares: 3900 }, Memory: { MemoryMB: 100 } } },
                },
                DesiredStatus: 'run',
                ClientStatus: 'running',
              }),
            ],
          });
        },
      },
    );
    const done = await s.evaluate(job);
    expect(done.Status).toBe('complete');
    expect(s.planner.plans.length).toBeGreaterThan(1);
    const running = s.running(job);
    expect(running).toHaveLength(4);
    expect(new Set(running.map((x) => x.Name)).size).toBe(4);
  });

  it('fails the evaluation after the attempt limit and leaves a blocked evaluation', async () => {
    const job = mockJob({ ID: 'batch', Type: 'batch' });
    job.TaskGroups![0]!.Count = 1;
    s = await scenario({ jobs: [job], nodes: [mockNode()] });
    // Every plan is rejected whole, as if the node filled up each time.
    const planner = s.planner;
    const store = s.store;
    planner.submitPlan = (plan) => {
      planner.plans.push(plan);
      return Promise.resolve({
        nodeUpdate: new Map(),
        nodeAllocation: new Map(),
        allocIndex: 0,
        refreshIndex: store.latestIndex(),
      });
    };
    const done = await s.evaluate(job);
    expect(done).toMatchObject({
      Status: 'failed',
      StatusDescription: 'maximum attempts reached (2)',
    });
    expect(s.planner.plans).toHaveLength(2);
    expect(s.planner.created[0]).toMatchObject({
      Status: 'blocked',
      TriggeredBy: 'max-plan-attempts',
      StatusDescription: 'created due to placement conflicts',
    });
    expect(s.allocs(job)).toEqual([]);
  });

  it('yields while it places; a node filled meanwhile is rejected and planned again', async () => {
    const job = mockJob({ ID: 'web' });
    job.TaskGroups![0]!.Count = 8;
    const other = mockJob({ ID: 'other' });
    const [a, b] = [mockNode(), mockNode()]; // room for 8 of 500 MHz each
    s = await scenario({ jobs: [job, other], nodes: [a, b] }, { checkCapacity: true });
    const store = s.store;
    // 2,500 MHz of each node are taken once the scheduler has read both: what it read is stale.
    const fill = () =>
      store.write((tx) => {
        for (const node of [a, b]) {
          tx.upsertAlloc({
            ...mockAlloc({
              Job: other,
              NodeID: node.ID,
              ClientStatus: 'running',
              AllocatedResources: {
                Tasks: { web: { Cpu: { CpuShares: 2500 }, Memory: { MemoryMB: 10 } } as never },
                TaskLifecycles: null,
                Shared: { DiskMB: 0, Networks: null, Ports: null },
              },
            }),
            CreateIndex: tx.index,
            ModifyIndex: tx.index,
          });
        }
      });
    const read = new Set<string>();
    let filled: Promise<number> | undefined;
    const state: SchedulerState = Object.assign(Object.create(store) as SchedulerState, {
      allocsByNode(nodeID: string) {
        read.add(nodeID);
        if (read.size === 2 && filled === undefined) {
          filled = new Promise((resolve) => setImmediate(() => resolve(fill())));
        }
        return store.allocsByNode(nodeID);
      },
    });
    const evaluation = mockEval({ JobID: job.ID, TriggeredBy: 'job-register' });
    await s.seed({ evals: [evaluation] });

    await new GenericScheduler(state, s.planner, { sliceMs: 0 }).process(evaluation);
    await filled;

    // The first plan no longer fitted; the second placed what the rest of each node holds.
    expect(s.planner.plans.length).toBeGreaterThan(1);
    expect(s.planner.last).toMatchObject({ ID: evaluation.ID, Status: 'complete' });
    expect(s.planner.last?.QueuedAllocations).toEqual({ web: 2 });
    expect(s.running(job)).toHaveLength(6);
    for (const node of [a, b]) {
      const cpu = store
        .allocsByNode(node.ID)
        .filter((x) => x.DesiredStatus === 'run')
        .reduce((sum, x) => sum + x.AllocatedResources!.Tasks!.web!.Cpu.CpuShares, 0);
      expect(cpu).toBeLessThanOrEqual(4000);
    }
  });
});
