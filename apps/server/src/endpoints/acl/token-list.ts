// ACL.ListTokens (nomad/acl_endpoint.go): token stubs (no secrets) by CreateIndex, or by accessor
// with a `prefix`, filtered and paginated as Nomad's paginator does; a blocking query that
// re-checks its caller (a management token) on every run.
import type { AclToken, AclTokenListStub } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
import { compileFilter } from '../filter/filter.js';
import { page } from '../pagination.js';
import { managementCaller, requireAclEnabled } from './caller.js';
import { tokenAccessorPrefix } from './token-lookup.js';
import { tokenStub } from './token-views.js';

export interface ListAclTokensRequest {
  token: string;
  /** An accessor prefix ('' for none). */
  prefix: string;
  filter: string;
  perPage: number;
  nextToken: string;
  reverse: boolean;
  blocking: BlockingOptions;
}

export interface ListAclTokensResponse {
  tokens: AclTokenListStub[];
  /** The tokens table's index. */
  index: number;
  /** Where the next page starts ('' when this is the last). */
  nextToken: string;
}

export async function listAclTokens(
  ctx: EndpointContext,
  request: ListAclTokensRequest,
): Promise<ListAclTokensResponse> {
  requireAclEnabled(ctx);
  managementCaller(ctx, request.token);
  const prefix = request.prefix === '' ? '' : tokenAccessorPrefix(request.prefix);
  const filter = compileFilter(request.filter);

  const snapshot = await blockingQuery(ctx.store, request.blocking, (ws) => {
    managementCaller(ctx, request.token, ws);
    return {
      scan: ctx.store.aclTokens(prefix, ws, { reverse: request.reverse }),
      index: ctx.store.tableIndex('acl_tokens'),
    };
  });
  // As Nomad's paginator, the filter sees the stored token (a management caller may read every
  // secret anyway); the answer shows stubs.
  const { items, nextToken } = await page<AclToken, AclTokenListStub>(snapshot.scan, {
    perPage: request.perPage,
    nextToken: request.nextToken,
    reverse: request.reverse,
    tokenOf: prefix ? (t) => t.AccessorID : (t) => `${t.CreateIndex}.${t.AccessorID}`,
    keep: filter,
    view: tokenStub,
    filterLimitMs: ctx.listFilterLimitMs,
  });
  return { tokens: items, index: snapshot.index, nextToken };
}
