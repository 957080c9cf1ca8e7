// Nomad's genericAllocUpdateFn (scheduler/util.go): an allocation of an older job version is
// left alone (same JobModifyIndex), replaced (a destructive change, or its node no longer fits
// the job), or updated in place on its node to the new version.
import type { Allocation, Evaluation } from '@berth/contract';

import { groupResources } from './alloc/resources.js';
import { terminal } from './alloc/status.js';
import { STATUS_ALLOC_IN_PLACE } from './constants.js';
import { nodeInAnyDC, nodeInPool } from './feasible/ready-nodes.js';
import type { PlanBuilder } from './plan/plan-builder.js';
import type { GenericStack } from './rank/stack.js';
import { tasksUpdated } from './reconcile/tasks-updated.js';
import type { AllocUpdateFn } from './reconcile/types.js';
import type { SchedulerState } from '../types.js';

export function genericAllocUpdateFn(
  state: SchedulerState,
  plan: PlanBuilder,
  stack: GenericStack,
  evaluation: Evaluation,
  now: number,
): AllocUpdateFn {
  return (existing, job, tg) => {
    const old = existing.Job;
    if (old === null) return { kind: 'destructive' };
    if (old.JobModifyIndex === job.JobModifyIndex) return { kind: 'ignore' };
    if (tasksUpdated(job, old, tg.Name) !== undefined) return { kind: 'destructive' };
    // A finished batch allocation gains nothing from an update.
    if (terminal(existing)) return { kind: 'ignore' };
    const node = state.nodeByID(existing.NodeID);
    if (node === undefined) return { kind: 'destructive' };
    if (!nodeInAnyDC(node, job.Datacenters) || !nodeInPool(node, job.NodePool)) {
      return { kind: 'destructive' };
    }
    // Does the new version still fit this node (its constraints, drivers, resources)? The
    // allocation itself is discounted while checking.
    stack.setNodes([node]);
    plan.appendStopped(existing, STATUS_ALLOC_IN_PLACE);
    const { option } = stack.select(tg);
    plan.popUpdate(existing);
    if (option === null) return { kind: 'destructive' };
    const res = groupResources(tg, existing.AllocatedResources);
    const updated: Allocation = {
      ...existing,
      EvalID: evaluation.ID,
      Job: job,
      AllocatedResources: res.allocated,
      TaskResources: res.taskResources,
      Resources: res.resources,
      SharedResources: res.sharedResources,
      ModifyTime: now,
    };
    return { kind: 'inplace', updated };
  };
}
