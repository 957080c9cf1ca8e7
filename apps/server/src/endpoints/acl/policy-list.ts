// ACL.ListPolicies (nomad/acl_endpoint.go): the policies whose name starts with the prefix, in
// name order, as list stubs; a management token sees all, any other caller (anonymous included)
// those its token names. A blocking query that re-resolves its caller on every run.
import type { AclPolicy, AclPolicyListStub } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
import { aclCaller, policyVisible, requireAclEnabled } from './caller.js';

export interface ListAclPoliciesRequest {
  token: string;
  /** A name prefix ('' for none). */
  prefix: string;
  blocking: BlockingOptions;
}

export interface ListAclPoliciesResponse {
  policies: AclPolicyListStub[];
  /** The policies table's index, at least 1 (Nomad floors it so a blocking query can use it). */
  index: number;
}

/** Nomad's ACLPolicy.Stub: everything but the rules. */
export function policyStub(policy: AclPolicy): AclPolicyListStub {
  return {
    Name: policy.Name,
    Description: policy.Description,
    JobACL: policy.JobACL,
    Hash: policy.Hash,
    CreateIndex: policy.CreateIndex,
    ModifyIndex: policy.ModifyIndex,
  };
}

export async function listAclPolicies(
  ctx: EndpointContext,
  request: ListAclPoliciesRequest,
): Promise<ListAclPoliciesResponse> {
  requireAclEnabled(ctx);
  aclCaller(ctx, request.token);
  return blockingQuery(ctx.store, request.blocking, (ws) => {
    const caller = aclCaller(ctx, request.token, ws);
    return {
      policies: ctx.store
        .aclPolicies(request.prefix, ws)
        .filter((p) => policyVisible(caller, p.Name))
        .map(policyStub),
      index: Math.max(ctx.store.tableIndex('acl_policies'), 1),
    };
  });
}
