// ClientAllocations.Signal (nomad/client_alloc_endpoint.go): delivers a signal to one task or all
// tasks of an allocation, through the node agent that runs it.
import { ErrorText } from '@berth/contract';
import type { EndpointContext } from '../context.js';
import { notFound } from '../endpoint-error.js';
import { groupTaskNames, lifecycleTarget } from './lifecycle-target.js';

export interface SignalAllocationRequest {
  token: string;
  allocID: string;
  /** One task, or '' for every task. */
  task: string;
  signal: string;
}

export async function signalAllocation(
  ctx: EndpointContext,
  request: SignalAllocationRequest,
): Promise<void> {
  const { alloc, node } = lifecycleTarget(ctx, request.token, request.allocID);
  // Berth answers a task the allocation does not have with a 404 (Nomad: 500).
  if (request.task !== '' && !groupTaskNames(alloc).includes(request.task)) {
    throw notFound(ErrorText.TaskNotFound);
  }
  await ctx.clientRpc.signal(node, { alloc, task: request.task, signal: request.signal });
}
