// ACL.UpsertPolicies (nomad/acl_endpoint.go), one policy per request as Nomad's HTTP API sends
// it: create a policy or replace one, keeping its CreateIndex. Needs a management token.
import { type AclPolicyRequest } from '@berth/contract';
import type { EndpointContext } from '../context.js';
import { badRequest } from '../endpoint-error.js';
import { managementCaller, requireAclEnabled } from './caller.js';
import { policyHash } from './hash.js';
import { policyProblems } from './policy-validate.js';

/** Nomad's HTTP text when the body names another policy than the path. */
export const POLICY_NAME_MISMATCH = 'ACL policy name does not match request path';

export interface UpsertAclPolicyRequest {
  token: string;
  /** The name in the path. */
  pathName: string;
  policy: AclPolicyRequest;
}

export async function upsertAclPolicy(
  ctx: EndpointContext,
  request: UpsertAclPolicyRequest,
): Promise<{ index: number }> {
  const { policy } = request;
  // Nomad's HTTP handler checks this before the RPC, so before anything else.
  if (policy.Name !== request.pathName) throw badRequest(POLICY_NAME_MISMATCH);
  requireAclEnabled(ctx);
  managementCaller(ctx, request.token);
  const problems = await policyProblems(policy);
  if (problems !== undefined) throw badRequest(problems);

  const hash = policyHash({ ...policy, JobACL: null });
  const index = await ctx.store.write((tx) => {
    const existing = tx.aclPolicy(policy.Name);
    tx.upsertAclPolicy({
      Name: policy.Name,
      Description: policy.Description,
      Rules: policy.Rules,
      // Nomad parses the rules again on every read; berth sends none (see the contract).
      RulesJSON: null,
      // Validation refused any JobACL naming a workload; an empty one is none.
      JobACL: null,
      Hash: hash,
      CreateIndex: existing?.CreateIndex ?? tx.index,
      ModifyIndex: tx.index,
    });
  });
  return { index };
}
