// Job.List (nomad/job_endpoint.go): job stubs of a namespace (or all, with `*`) ordered by
// namespace and ID, filtered by ID prefix and a go-bexpr expression, paginated, as a blocking
// query. Each stub carries the job's summary.
import type { Job, JobListStub } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
import { namespaceAccess } from '../namespace-access.js';
import { compileFilter } from '../filter/filter.js';
import { Paginator } from '../pagination.js';
import { jobStub, jobView } from './views.js';

export interface ListJobsRequest {
  token: string;
  /** A namespace, or `*` for every namespace the caller may list. */
  namespace: string;
  /** A job ID prefix ('' for none). */
  prefix: string;
  filter: string;
  perPage: number;
  nextToken: string;
  reverse: boolean;
  /** Include each job's `Meta`. */
  meta: boolean;
  blocking: BlockingOptions;
}

export interface ListJobsResponse {
  stubs: JobListStub[];
  /** The newest write to the jobs table or to anything a listed job's summary counts. */
  index: number;
  /** Where the next page starts ('' when this is the last). */
  nextToken: string;
}

export async function listJobs(
  ctx: EndpointContext,
  request: ListJobsRequest,
): Promise<ListJobsResponse> {
  const identity = ctx.acl.resolve(request.token);
  const allowed = namespaceAccess(identity, request.namespace, 'list-jobs');
  const filter = compileFilter(request.filter);

  return blockingQuery(ctx.store, request.blocking, (ws) => {
    let jobs = ctx.store.jobs(request.namespace, ws);
    if (request.reverse) jobs = jobs.reverse();
    const paginator = new Paginator<Job>({
      perPage: request.perPage,
      nextToken: request.nextToken,
      reverse: request.reverse,
      tokenOf: (j) => `${j.Namespace}.${j.ID}`,
    });
    const stubs: JobListStub[] = [];
    let index = ctx.store.tableIndex('jobs');
    for (const stored of jobs) {
      if (request.prefix !== '' && !stored.ID.startsWith(request.prefix)) continue;
      if (allowed !== 'all' && !allowed(stored.Namespace)) continue;
      if (!paginator.reached(stored)) continue;
      const view = jobView(ctx.store, stored, ws);
      if (filter && !filter(view.job)) continue;
      if (!paginator.accept(stored)) break;
      index = Math.max(index, view.index);
      stubs.push(jobStub(view, request.meta));
    }
    return { stubs, index, nextToken: paginator.nextToken };
  });
}
