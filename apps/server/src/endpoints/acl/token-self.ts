// GET /v1/acl/token/self (Nomad's ACL.WhoAmI as its HTTP handler answers it): the token whose
// secret the request carries. Without a secret, Nomad's anonymous token; a node's SecretID is an
// identity but no token (404 `ACL token not found`); any other unknown or expired secret 403.
import { ErrorText, type AclToken } from '@berth/contract';
import type { EndpointContext } from '../context.js';
import { EndpointError, notFound } from '../endpoint-error.js';
import { aclCaller, requireAclEnabled } from './caller.js';

export interface AclTokenSelfResponse {
  token: AclToken;
  /** The token's ModifyIndex (0 for the anonymous token). */
  index: number;
}

export function aclTokenSelf(ctx: EndpointContext, secret: string): AclTokenSelfResponse {
  requireAclEnabled(ctx);
  try {
    const { token } = aclCaller(ctx, secret);
    return { token, index: token.ModifyIndex };
  } catch (error) {
    if (error instanceof EndpointError && error.status === 403) {
      if (ctx.store.nodeBySecret(secret) !== undefined) throw notFound(ErrorText.ACLTokenNotFound);
    }
    throw error;
  }
}
