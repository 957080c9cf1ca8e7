// GET /v1/acl/policy/self (Nomad's aclSelfPolicy): the policies of the caller's own token. Nomad
// sends an ACL token (a UUID) to ACL.ListPolicies, which lists what the token may see, i.e. every
// policy for management and the policies it names for a client token; anything else (no token,
// a workload identity's JWT) goes to ACL.GetClaimPolicies, which refuses every caller that is no
// workload identity. berth has no workload identities, so only a stored token gets a list.
import type { EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';
import { requireAclEnabled } from './caller.js';
import {
  listAclPolicies,
  type ListAclPoliciesRequest,
  type ListAclPoliciesResponse,
} from './policy-list.js';

/**
 * The stubs of the policies the caller's token holds (all for management), in name order; 403
 * `Permission denied` for the anonymous caller and for secrets that are no live token. With ACLs
 * off, 400 `ACL support disabled` whatever the token (Nomad answers 403 for a token that is not a
 * UUID, from its workload-identity path, which skips that check).
 */
export async function listOwnAclPolicies(
  ctx: EndpointContext,
  request: ListAclPoliciesRequest,
): Promise<ListAclPoliciesResponse> {
  requireAclEnabled(ctx);
  // The anonymous caller has no claims: Nomad's GetClaimPolicies answers it Permission denied.
  if (request.token === '') throw forbidden();
  return listAclPolicies(ctx, request);
}
