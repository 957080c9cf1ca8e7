// The `Hash` of a policy and of a token (Nomad's ACLPolicy.SetHash and ACLToken.SetHash): Nomad
// takes BLAKE2b-256 over the same fields in the same order; berth takes SHA-256 (node:crypto has
// no BLAKE2b-256), so the values differ from Nomad's but change exactly when Nomad's would. Both
// go out as base64, as Go writes a []byte.
import type { AclToken, JobAcl } from '@berth/contract';
import { createHash } from 'node:crypto';

/** The hash of a policy's user-set fields: name, description, rules and job attachment. */
export function policyHash(policy: {
  Name: string;
  Description: string;
  Rules: string;
  JobACL: JobAcl | null;
}): string {
  const hash = createHash('sha256');
  hash.update(policy.Name).update(policy.Description).update(policy.Rules);
  const job = policy.JobACL;
  if (job !== null) hash.update(job.Namespace).update(job.JobID).update(job.Group).update(job.Task);
  return hash.digest('base64');
}

/** The hash of a token's updatable fields: name, type, policies, globality and role IDs. */
export function tokenHash(
  token: Pick<AclToken, 'Name' | 'Type' | 'Policies' | 'Global' | 'Roles'>,
): string {
  const hash = createHash('sha256');
  hash.update(token.Name).update(token.Type);
  for (const policy of token.Policies ?? []) hash.update(policy);
  hash.update(token.Global ? 'global' : 'local');
  for (const role of token.Roles ?? []) hash.update(role.ID);
  return hash.digest('base64');
}
