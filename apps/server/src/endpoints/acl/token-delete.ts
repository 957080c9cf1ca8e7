// ACL.DeleteTokens (nomad/acl_endpoint.go), one token per request: needs a management token (which
// may delete itself). A token that does not exist is a 400, as Nomad answers.
import { cannotDeleteNonexistentTokens } from '@berth/contract';
import type { EndpointContext } from '../context.js';
import { badRequest } from '../endpoint-error.js';
import { managementCaller, requireAclEnabled } from './caller.js';
import { tokenAccessor } from './token-lookup.js';

export interface DeleteAclTokenRequest {
  token: string;
  accessor: string;
}

const tokenLookupFailed = (detail: string) => `token lookup failed: ${detail}`;

export async function deleteAclToken(
  ctx: EndpointContext,
  request: DeleteAclTokenRequest,
): Promise<{ index: number }> {
  requireAclEnabled(ctx);
  managementCaller(ctx, request.token);
  const accessor = tokenAccessor(request.accessor, tokenLookupFailed);
  const index = await ctx.store.write((tx) => {
    if (accessor === undefined || tx.aclToken(accessor) === undefined) {
      throw badRequest(cannotDeleteNonexistentTokens([request.accessor]));
    }
    tx.deleteAclToken(accessor);
  });
  return { index };
}
