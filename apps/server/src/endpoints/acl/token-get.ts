// ACL.GetToken (nomad/acl_endpoint.go): one token by accessor, secret included, as a blocking
// query. A management token reads any token; any other caller only its own (a missing token is
// then a 403, not a 404, as Nomad). The caller is re-resolved on every run.
import type { AclToken } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';
import { aclCaller, requireAclEnabled } from './caller.js';
import { tokenAccessor } from './token-lookup.js';

export interface GetAclTokenRequest {
  token: string;
  accessor: string;
  blocking: BlockingOptions;
}

export interface GetAclTokenResponse {
  /** The token, or `undefined` when it does not exist. */
  token: AclToken | undefined;
  /** Its ModifyIndex; the tokens table's index when it does not exist. */
  index: number;
}

export async function getAclToken(
  ctx: EndpointContext,
  request: GetAclTokenRequest,
): Promise<GetAclTokenResponse> {
  requireAclEnabled(ctx);
  aclCaller(ctx, request.token);
  const accessor = tokenAccessor(request.accessor);
  return blockingQuery(ctx.store, request.blocking, (ws) => {
    const caller = aclCaller(ctx, request.token, ws);
    // An accessor that can never match still watches the table, so a blocking read waits.
    const token = ctx.store.aclTokenByAccessor(accessor ?? '', ws);
    if (!caller.management) {
      // Its own token: the same stored token (secrets are unique), so no secret is compared.
      if (token === undefined || token.AccessorID !== caller.token.AccessorID) throw forbidden();
    }
    return { token, index: token ? token.ModifyIndex : ctx.store.tableIndex('acl_tokens') };
  });
}
