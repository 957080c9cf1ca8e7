// Eval.List (nomad/eval_endpoint.go): evaluations of a namespace (or all, with `*`) ordered by
// CreateIndex (by ID with a prefix), filtered by `job` and `status` or a go-bexpr expression,
// paginated, as a blocking query.
import type { Evaluation } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
import { namespaceAccess } from '../namespace-access.js';
import { badRequest } from '../endpoint-error.js';
import { compileFilter } from '../filter/filter.js';
import { page } from '../pagination.js';
import { evalIdPrefix } from './lookup.js';
import { evalView } from './views.js';

/** 400 (Nomad: 500), `filter` together with `job` or `status` (Nomad's ErrIncompatibleFiltering). */
export const INCOMPATIBLE_FILTERING =
  'Filter expression cannot be used with other filter parameters';

export interface ListEvaluationsRequest {
  token: string;
  /** A namespace, or `*` for every namespace the caller may read. */
  namespace: string;
  /** An ID prefix ('' for none). */
  prefix: string;
  filter: string;
  /** Only this job's evaluations ('' for all). */
  job: string;
  /** Only evaluations with this status ('' for all). */
  status: string;
  perPage: number;
  nextToken: string;
  reverse: boolean;
  blocking: BlockingOptions;
}

export interface ListEvaluationsResponse {
  evaluations: Evaluation[];
  /** The index of the last write to the evals table. */
  index: number;
  /** Where the next page starts ('' when this is the last). */
  nextToken: string;
}

export async function listEvaluations(
  ctx: EndpointContext,
  request: ListEvaluationsRequest,
): Promise<ListEvaluationsResponse> {
  namespaceAccess(ctx.acl.resolve(request.token), request.namespace, 'read-job');
  if (request.filter !== '' && (request.job !== '' || request.status !== '')) {
    throw badRequest(INCOMPATIBLE_FILTERING);
  }
  const prefix = request.prefix === '' ? '' : evalIdPrefix(request.prefix);
  const filter = compileFilter(request.filter);

  // A snapshot and its index from the blocking query, then the page in time slices. The token is
  // authorised again on every run, so a revoked or narrowed one stops seeing changes.
  const snapshot = await blockingQuery(ctx.store, request.blocking, (ws) => ({
    allowed: namespaceAccess(ctx.acl.resolve(request.token, ws), request.namespace, 'read-job'),
    scan: prefix
      ? ctx.store.evalsByIDPrefix(
          prefix,
          { namespace: request.namespace, reverse: request.reverse },
          ws,
        )
      : ctx.store.evalsByNamespace(request.namespace, { reverse: request.reverse }, ws),
    index: ctx.store.tableIndex('evals'),
  }));
  const { allowed } = snapshot;
  const { items, nextToken } = await page(snapshot.scan, {
    perPage: request.perPage,
    nextToken: request.nextToken,
    reverse: request.reverse,
    tokenOf: prefix ? (e) => e.ID : (e) => `${e.CreateIndex}.${e.ID}`,
    keep: (e) =>
      (request.job === '' || e.JobID === request.job) &&
      (request.status === '' || e.Status === request.status) &&
      (!filter || filter(e)) &&
      (allowed === 'all' || allowed(e.Namespace)),
    view: evalView,
    filterLimitMs: ctx.listFilterLimitMs,
  });
  return { evaluations: items, index: snapshot.index, nextToken };
}
