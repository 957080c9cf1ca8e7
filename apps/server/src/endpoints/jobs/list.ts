// Job.List (nomad/job_endpoint.go): job stubs of a namespace (or all, with `*`) ordered by
// namespace and ID, filtered by ID prefix and a go-bexpr expression, paginated, as a blocking
// query. Each stub carries the job's summary.
import type { Job, JobListStub } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
import { namespaceAccess } from '../namespace-access.js';
import { compileFilter } from '../filter/filter.js';
import { page } from '../pagination.js';
import { jobStub, jobView, type JobView } from './views.js';

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
  /** The newest write to the jobs table or to anything a candidate job's summary counts. */
  index: number;
  /** Where the next page starts ('' when this is the last). */
  nextToken: string;
}

export async function listJobs(
  ctx: EndpointContext,
  request: ListJobsRequest,
): Promise<ListJobsResponse> {
  namespaceAccess(ctx.acl.resolve(request.token), request.namespace, 'list-jobs');
  const filter = compileFilter(request.filter);

  // The blocking query reads the candidate jobs and their views (summaries read the store); it
  // wakes on a change to any of them, as Nomad's on the jobs and summary tables. The filter then
  // runs over that snapshot in time slices, once per answer. The token is authorised again on
  // every run, so a revoked or narrowed one stops seeing changes.
  const snapshot = await blockingQuery(ctx.store, request.blocking, (ws) => {
    const allowed = namespaceAccess(
      ctx.acl.resolve(request.token, ws),
      request.namespace,
      'list-jobs',
    );
    let jobs = ctx.store.jobs(request.namespace, ws);
    if (request.reverse) jobs = jobs.reverse();
    const candidates: { stored: Job; view: JobView }[] = [];
    let index = ctx.store.tableIndex('jobs');
    for (const stored of jobs) {
      if (request.prefix !== '' && !stored.ID.startsWith(request.prefix)) continue;
      if (allowed !== 'all' && !allowed(stored.Namespace)) continue;
      const view = jobView(ctx.store, stored, ws);
      candidates.push({ stored, view });
      index = Math.max(index, view.index);
    }
    return { candidates, index };
  });
  const listed = await page(snapshot.candidates, {
    perPage: request.perPage,
    nextToken: request.nextToken,
    reverse: request.reverse,
    tokenOf: ({ stored: j }) => `${j.Namespace}.${j.ID}`,
    keep: ({ view }) => !filter || filter(view.job),
    view: ({ view }) => jobStub(view, request.meta),
    filterLimitMs: ctx.listFilterLimitMs,
  });
  // The index covers every candidate, listed or filtered out (as Nomad's covers the jobs and
  // summary tables), so that a blocking query woken by one of them is not answered with an index
  // it already had.
  return { stubs: listed.items, index: snapshot.index, nextToken: listed.nextToken };
}
