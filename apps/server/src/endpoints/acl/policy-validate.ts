// Nomad's ACLPolicy.Validate (nomad/structs/acl.go): the name's pattern, rules that parse (strict,
// with @berth/acl's parser standing in for Nomad's acl.Parse), the description's length and the
// job attachment's completeness, every problem listed in one go-multierror text. The rules are
// parsed on @berth/acl's parser thread, never on the event loop (a large policy takes a large
// fraction of a second), and the parsed policy is kept in its cache for the reads that follow.
import { policyCache, PolicyParseError, PolicyParserBusyError } from '@berth/acl';
import { multiError, type AclPolicyRequest } from '@berth/contract';
import { badRequest } from '../endpoint-error.js';

/** Nomad's `ValidPolicyName`. */
const VALID_NAME = /^[a-zA-Z0-9-]{1,128}$/;

/** Nomad's `maxPolicyDescriptionLength`, in bytes (Go's len). */
const MAX_DESCRIPTION_BYTES = 256;

/** berth's text for a policy attached to a workload (Nomad's JobACL), which it cannot honour. */
export const JOB_ACL_UNSUPPORTED =
  'JobACL is not supported: berth has no workload identities to attach a policy to';

/** True when the policy names a workload (a JobACL with any field set). */
export function hasJobAcl(policy: Pick<AclPolicyRequest, 'JobACL'>): boolean {
  const job = policy.JobACL;
  return (
    job !== null &&
    (job.Namespace !== '' || job.JobID !== '' || job.Group !== '' || job.Task !== '')
  );
}

/**
 * Why `rules` does not parse, or `undefined` when it does. Rules that take longer than the parse
 * time limit are refused as not parsing. A full parser queue refuses the write unread (400).
 */
async function rulesProblem(rules: string): Promise<string | undefined> {
  try {
    await policyCache.parseOffThread(rules);
    return undefined;
  } catch (error) {
    if (error instanceof PolicyParseError) return `failed to parse rules: ${error.message}`;
    if (error instanceof PolicyParserBusyError) throw badRequest(`${error.message}; try again`);
    throw error;
  }
}

/**
 * Nomad's text for an invalid policy, as UpsertPolicies words it (`policy 0 invalid: ...`), or
 * `undefined` when the policy is valid.
 */
export async function policyProblems(policy: AclPolicyRequest): Promise<string | undefined> {
  const errors: string[] = [];
  if (!VALID_NAME.test(policy.Name)) errors.push(`invalid name '${policy.Name}'`);
  const rules = await rulesProblem(policy.Rules);
  if (rules !== undefined) errors.push(rules);
  if (Buffer.byteLength(policy.Description, 'utf8') > MAX_DESCRIPTION_BYTES) {
    errors.push(`description longer than ${MAX_DESCRIPTION_BYTES}`);
  }
  const job = policy.JobACL;
  if (job !== null) {
    if (job.JobID !== '' && job.Namespace === '')
      errors.push('namespace must be set to set job ID');
    if (job.Group !== '' && job.JobID === '') errors.push('job ID must be set to set group');
    if (job.Task !== '' && job.Group === '') errors.push('group must be set to set task');
    // Departure: Nomad attaches such a policy to a workload's identity; berth has none.
    if (hasJobAcl(policy)) errors.push(JOB_ACL_UNSUPPORTED);
  }
  if (errors.length === 0) return undefined;
  return `policy 0 invalid: ${multiError(errors)}`;
}
