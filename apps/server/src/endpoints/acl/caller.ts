// Who calls an ACL endpoint (Nomad's Authenticate then ResolveACL, as the ACL RPCs use them): the
// live token the request's secret stands for, or Nomad's anonymous token when there is none.
import { ANONYMOUS_ACL_TOKEN, ErrorText, type AclToken } from '@berth/contract';
import { isManagementToken, liveTokenBySecret } from '../../acl/live-token.js';
import type { WatchSet } from '../../state/index.js';
import type { EndpointContext } from '../context.js';
import { EndpointError, forbidden } from '../endpoint-error.js';

/**
 * Refuses with Nomad's `ACL support disabled` (400) unless ACLs are on. Every ACL endpoint does,
 * token self included (Nomad's WhoAmI would answer a placeholder token; node agents read this
 * text from token self to learn that ACLs are off).
 */
export function requireAclEnabled(ctx: EndpointContext): void {
  if (ctx.aclEnabled !== true) throw new EndpointError(400, ErrorText.AclDisabled);
}

/** The caller of an ACL endpoint. */
export interface AclCaller {
  /** A stored live token, or Nomad's anonymous token. */
  readonly token: AclToken;
  readonly anonymous: boolean;
  /** A management token: every ACL endpoint is open to it. */
  readonly management: boolean;
}

/**
 * The caller whose secret is `secret` ('' for anonymous). An unknown or expired secret (a node's
 * SecretID included: it is no ACL token) is 403 `Permission denied`. With `ws`, the token is
 * watched, so a blocking query re-resolving its caller wakes when the token changes.
 */
export function aclCaller(ctx: EndpointContext, secret: string, ws?: WatchSet): AclCaller {
  if (secret === '') return { token: ANONYMOUS_ACL_TOKEN, anonymous: true, management: false };
  const token = liveTokenBySecret(ctx.store, secret, Date.now(), ws);
  if (token === undefined) throw forbidden();
  return { token, anonymous: false, management: isManagementToken(token) };
}

/** The caller, who must hold a management token (403 otherwise). */
export function managementCaller(ctx: EndpointContext, secret: string, ws?: WatchSet): AclCaller {
  const caller = aclCaller(ctx, secret, ws);
  if (!caller.management) throw forbidden();
  return caller;
}

/**
 * Whether the caller may see the policy named `name` (Nomad's getPolicyAuthorizationFunc):
 * management sees every policy, any other token the policies it holds.
 */
export function policyVisible(caller: AclCaller, name: string): boolean {
  return caller.management || (caller.token.Policies ?? []).includes(name);
}
