// Node.List (nomad/node_endpoint.go): node stubs ordered by ID, filtered by ID prefix and a
// go-bexpr expression, paginated, as a blocking query.
import type { NodeListStub } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';
import { compileFilter } from '../filter/filter.js';
import { page } from '../pagination.js';
import { nodeIdPrefix } from './lookup.js';
import { nodeStub, type NodeStubFields } from './views.js';

export interface ListNodesRequest {
  token: string;
  /** An ID prefix ('' for none). */
  prefix: string;
  filter: string;
  perPage: number;
  nextToken: string;
  fields: NodeStubFields;
  blocking: BlockingOptions;
}

export interface ListNodesResponse {
  stubs: NodeListStub[];
  /** The index of the last write to the nodes table. */
  index: number;
  /** Where the next page starts ('' when this is the last). */
  nextToken: string;
}

export async function listNodes(
  ctx: EndpointContext,
  request: ListNodesRequest,
): Promise<ListNodesResponse> {
  // Nodes are not namespaced: the caller needs node:read.
  if (!ctx.acl.resolve(request.token).allowsNodeRead()) throw forbidden();
  const prefix = request.prefix === '' ? '' : nodeIdPrefix(request.prefix);
  const filter = compileFilter(request.filter);
  // A snapshot and its index from the blocking query, then the page in time slices. The token is
  // authorised again on every run, so a revoked one stops seeing changes.
  const snapshot = await blockingQuery(ctx.store, request.blocking, (ws) => {
    if (!ctx.acl.resolve(request.token, ws).allowsNodeRead()) throw forbidden();
    return { scan: ctx.store.nodesByIDPrefix(prefix, ws), index: ctx.store.tableIndex('nodes') };
  });
  const { items, nextToken } = await page(snapshot.scan, {
    perPage: request.perPage,
    nextToken: request.nextToken,
    reverse: false,
    tokenOf: (n) => n.ID,
    keep: (n) => !filter || filter(n),
    view: (n) => nodeStub(n, request.fields),
    filterLimitMs: ctx.listFilterLimitMs,
  });
  return { stubs: items, index: snapshot.index, nextToken };
}
