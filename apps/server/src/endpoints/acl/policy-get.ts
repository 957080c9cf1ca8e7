// ACL.GetPolicy (nomad/acl_endpoint.go): one policy by name, its rules parsed into RulesJSON
// (from the parsed-policy cache, not parsed again on every read as Nomad does), as a blocking
// query. The policy named `anonymous` is readable by every caller; any other needs a
// management token or a token that names it (checked before the lookup, as Nomad does, so a
// missing policy the caller may not see is a 403, not a 404).
import type { AclPolicy } from '@berth/contract';
import { ANONYMOUS_POLICY } from '../../acl/live-token.js';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';
import { aclCaller, policyVisible, requireAclEnabled, type AclCaller } from './caller.js';
import { storedRulesJson } from './rules-json.js';

export interface GetAclPolicyRequest {
  token: string;
  name: string;
  blocking: BlockingOptions;
}

export interface GetAclPolicyResponse {
  /** The policy, or `undefined` when it does not exist. */
  policy: AclPolicy | undefined;
  /** Its ModifyIndex; the policies table's index when it does not exist. */
  index: number;
}

function authorise(caller: AclCaller, name: string): void {
  if (name !== ANONYMOUS_POLICY && !policyVisible(caller, name)) throw forbidden();
}

export async function getAclPolicy(
  ctx: EndpointContext,
  request: GetAclPolicyRequest,
): Promise<GetAclPolicyResponse> {
  requireAclEnabled(ctx);
  authorise(aclCaller(ctx, request.token), request.name);
  const found = await blockingQuery(ctx.store, request.blocking, (ws) => {
    authorise(aclCaller(ctx, request.token, ws), request.name);
    const policy = ctx.store.aclPolicyByName(request.name, ws);
    return { policy, index: policy ? policy.ModifyIndex : ctx.store.tableIndex('acl_policies') };
  });
  const { policy } = found;
  return {
    policy: policy && {
      ...policy,
      RulesJSON: await storedRulesJson(policy.Name, policy.Rules),
    },
    index: found.index,
  };
}
