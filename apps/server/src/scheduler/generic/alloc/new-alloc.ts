// Builds the allocations a placement creates (the body of generic_sched.go's computePlacements):
// complete objects whose shared parts (resources, the job) are built once per group and
// referenced by every allocation, so placing thousands costs little.
import type { AllocMetric, Allocation, Job, Node, TaskGroup } from '@berth/contract';
import { AllocationSchema } from '@berth/contract';
import { randomUUID } from 'node:crypto';

import { groupResources } from './resources.js';

export interface NewAllocation {
  name: string;
  node: Node;
  metrics: AllocMetric;
  now: number;
}

/** Makes the new allocations of one task group of one job version for one evaluation. */
export class AllocFactory {
  private readonly base: Allocation;

  constructor(
    private readonly job: Job,
    tg: TaskGroup,
    evalID: string,
  ) {
    const res = groupResources(tg);
    this.base = AllocationSchema.parse({
      ID: '',
      Namespace: job.Namespace,
      EvalID: evalID,
      JobID: job.ID,
      TaskGroup: tg.Name,
      AllocatedResources: res.allocated,
      TaskResources: res.taskResources,
      Resources: res.resources,
      SharedResources: res.sharedResources,
      DesiredStatus: 'run',
      ClientStatus: 'pending',
    });
  }

  create(p: NewAllocation): Allocation {
    return {
      ...this.base,
      ID: randomUUID(),
      Name: p.name,
      NodeID: p.node.ID,
      NodeName: p.node.Name,
      Job: this.job,
      Metrics: p.metrics,
      CreateTime: p.now,
      ModifyTime: p.now,
    };
  }
}
