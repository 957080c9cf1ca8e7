// A plan that no longer fits when applied is partly rejected; the scheduler plans again what is
// missing, never placing more than the count, and gives up after Nomad's attempt limits.
import { AllocationSchema } from '@berth/contract';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';

import { mockJob, mockNode } from '../../test-support/mock.js';
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
});
