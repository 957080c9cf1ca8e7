// Job.Allocations (nomad/job_endpoint.go): the allocation stubs of a job, as a blocking query.
// Without `all`, allocations of an earlier job registered under the same ID are left out.
import type { AllocListStub } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import { allocStub } from '../allocations/views.js';
import type { EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';
import { page, WHOLE_LIST } from '../pagination.js';
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
  // A snapshot from the blocking query; the stubs are then built in time slices.
  const snapshot = await blockingQuery(ctx.store, request.blocking, (ws) => {
    // Authorised first, and again on every run: a revoked token stops seeing changes.
    const identity = ctx.acl.resolve(request.token, ws);
    if (!identity.allows(request.namespace, 'read-job')) throw forbidden();
    return {
      job: ctx.store.jobByID(request.namespace, request.jobID, ws),
      allocs: ctx.store.allocsByJob(request.namespace, request.jobID, ws),
      index: ctx.store.tableIndex('allocs'),
    };
  });
  const { job } = snapshot;
  const { items } = await page(snapshot.allocs, {
    ...WHOLE_LIST,
    keep: (alloc) => request.all || !job || ofThisJob(alloc, job),
    view: (alloc): AllocListStub => allocStub(alloc, { resources: false, taskStates: true }),
    filterLimitMs: ctx.listFilterLimitMs,
  });
  return { stubs: items, index: snapshot.index };
}
