// ClientAllocations.Restart (nomad/client_alloc_endpoint.go): restarts one task, the running
// tasks, or all tasks of an allocation in place, through the node agent that runs it.
import {
  ClientStatus,
  couldNotFindTaskRunner,
  DesiredStatus,
  ErrorText,
  type Allocation,
} from '@berth/contract';
import type { EndpointContext } from '../context.js';
import { badRequest, conflict, notFound } from '../endpoint-error.js';
import { groupTaskNames, lifecycleTarget } from './lifecycle-target.js';

export interface RestartAllocationRequest {
  token: string;
  allocID: string;
  /** One task ('' for the running tasks, or all with `allTasks`). */
  taskName: string;
  allTasks: boolean;
}

export async function restartAllocation(
  ctx: EndpointContext,
  request: RestartAllocationRequest,
): Promise<void> {
  const { alloc, node } = lifecycleTarget(ctx, request.token, request.allocID);
  if (request.allTasks && request.taskName !== '') {
    throw badRequest(ErrorText.TaskNameWithAllTasks);
  }
  if (request.taskName !== '') {
    if (!groupTaskNames(alloc).includes(request.taskName)) {
      throw notFound(couldNotFindTaskRunner(request.taskName));
    }
  } else if (!shouldRun(alloc)) {
    throw conflict(ErrorText.RestartOfAllocThatShouldNotRun);
  }
  await ctx.clientRpc.restart(node, {
    alloc,
    taskName: request.taskName,
    allTasks: request.allTasks,
  });
}

/** Neither the servers nor the node consider the allocation finished. */
function shouldRun(alloc: Allocation): boolean {
  const desiredTerminal =
    alloc.DesiredStatus === DesiredStatus.Stop || alloc.DesiredStatus === DesiredStatus.Evict;
  const clientTerminal =
    alloc.ClientStatus === ClientStatus.Complete ||
    alloc.ClientStatus === ClientStatus.Failed ||
    alloc.ClientStatus === ClientStatus.Lost;
  return !desiredTerminal && !clientTerminal;
}
