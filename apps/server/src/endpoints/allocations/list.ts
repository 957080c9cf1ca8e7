// Alloc.List (nomad/alloc_endpoint.go): allocations of a namespace (or all, with `*`) as stubs,
// ordered by CreateIndex (or by ID with a prefix), paginated, as a blocking query.
import { allocLookupFailed, type AllocListStub } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
import { namespaceAccess } from '../namespace-access.js';
import { badRequest } from '../endpoint-error.js';
import { allocIdPrefix, UuidFormatError } from '../uuid-lookup.js';
import { compileFilter } from '../filter/filter.js';
import { page } from '../pagination.js';
import { allocStub, type StubFields } from './views.js';

export interface ListAllocationsRequest {
  token: string;
  /** A namespace, or `*` for every namespace the caller may read. */
  namespace: string;
  /** An ID prefix ('' for none). */
  prefix: string;
  filter: string;
  perPage: number;
  nextToken: string;
  reverse: boolean;
  fields: StubFields;
  blocking: BlockingOptions;
}

export interface ListAllocationsResponse {
  stubs: AllocListStub[];
  /** The index of the last write to the allocs table. */
  index: number;
  /** Where the next page starts ('' when this is the last). */
  nextToken: string;
}

export async function listAllocations(
  ctx: EndpointContext,
  request: ListAllocationsRequest,
): Promise<ListAllocationsResponse> {
  namespaceAccess(ctx.acl.resolve(request.token), request.namespace, 'read-job');

  const prefix = request.prefix === '' ? '' : parsePrefix(request.prefix);
  const filter = compileFilter(request.filter);

  // The blocking query reads a snapshot and its index (the filter does not change the index);
  // the page is then built from that snapshot in time slices, once per answer. The token is
  // authorised again on every run, so a revoked or narrowed one stops seeing changes.
  const snapshot = await blockingQuery(ctx.store, request.blocking, (ws) => ({
    allowed: namespaceAccess(ctx.acl.resolve(request.token, ws), request.namespace, 'read-job'),
    scan: prefix
      ? ctx.store.allocsByIDPrefix(
          prefix,
          { namespace: request.namespace, reverse: request.reverse },
          ws,
        )
      : ctx.store.allocsByNamespace(request.namespace, { reverse: request.reverse }, ws),
    index: ctx.store.tableIndex('allocs'),
  }));
  const { allowed } = snapshot;
  const { items, nextToken } = await page(snapshot.scan, {
    perPage: request.perPage,
    nextToken: request.nextToken,
    reverse: request.reverse,
    tokenOf: prefix ? (a) => a.ID : (a) => `${a.CreateIndex}.${a.ID}`,
    keep: (a) => (!filter || filter(a)) && (allowed === 'all' || allowed(a.Namespace)),
    view: (a) => allocStub(a, request.fields),
    filterLimitMs: ctx.listFilterLimitMs,
  });
  return { stubs: items, index: snapshot.index, nextToken };
}

function parsePrefix(prefix: string): string {
  try {
    return allocIdPrefix(prefix);
  } catch (error) {
    if (error instanceof UuidFormatError) {
      throw badRequest(allocLookupFailed(error.message));
    }
    throw error;
  }
}
