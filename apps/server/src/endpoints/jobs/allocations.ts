// Job.Allocations (nomad/job_endpoint.go): the allocation stubs of a job, as a blocking query.
// Without `all`, allocations of an earlier job registered under the same ID are left out.
import type { AllocListStub } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import { allocStub } from '../allocations/views.js';
import type { EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';
import { ofThisJob } from './status.js';

export interface JobAllocationsRequest {
  token: string;
  namespace: string;
  jobID: string;
  /** Include allocations of earlier jobs with this ID. */
  all: boolean;
  blocking: BlockingOptions;
}

export interface JobAllocationsResponse {
  stubs: AllocListStub[];
  /** The allocs table's index, as Nomad answers. */
  index: number;
}

export async function jobAllocations(
  ctx: EndpointContext,
  request: JobAllocationsRequest,
): Promise<JobAllocationsResponse> {
  const identity = ctx.acl.resolve(request.token);
  if (!identity.allows(request.namespace, 'read-job')) throw forbidden();
  return blockingQuery(ctx.store, request.blocking, (ws) => {
    const job = ctx.store.jobByID(request.namespace, request.jobID, ws);
    const stubs: AllocListStub[] = [];
    for (const alloc of ctx.store.allocsByJob(request.namespace, request.jobID, ws)) {
      if (!request.all && job && !ofThisJob(alloc, job)) continue;
      stubs.push(allocStub(alloc, { resources: false, taskStates: true }));
    }
    return { stubs, index: ctx.store.tableIndex('allocs') };
  });
}
