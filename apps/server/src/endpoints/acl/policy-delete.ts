// ACL.DeletePolicies (nomad/acl_endpoint.go), one policy per request: needs a management token.
// As in Nomad, deleting a policy that does not exist succeeds (nothing is deleted, the write
// still gets an index); tokens naming a deleted policy keep the name and it grants nothing.
import type { EndpointContext } from '../context.js';
import { managementCaller, requireAclEnabled } from './caller.js';

export interface DeleteAclPolicyRequest {
  token: string;
  name: string;
}

export async function deleteAclPolicy(
  ctx: EndpointContext,
  request: DeleteAclPolicyRequest,
): Promise<{ index: number }> {
  requireAclEnabled(ctx);
  managementCaller(ctx, request.token);
  const index = await ctx.store.write((tx) => tx.deleteAclPolicy(request.name));
  return { index };
}
