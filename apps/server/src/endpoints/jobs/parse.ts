// Nomad's JobsParseRequest (command/agent/job_endpoint.go): an HCL2 jobspec and its variables to
// the API's Job, with the API's defaults when asked. The parse runs on @berth/jobspec's worker
// thread, bounded in size and time, so no jobspec can block the server.
import type { JobSubmissionInput } from '@berth/contract';
import { HCL1_NOT_SUPPORTED, JOB_SPEC_EMPTY } from '@berth/contract';
import { JobspecError, JobspecParserBusyError, parseJobspecOffThread } from '@berth/jobspec';
import type { EndpointContext } from '../context.js';
import { badRequest, EndpointError, forbidden } from '../endpoint-error.js';
import { canonicalizeJob } from './canonicalize.js';
import { Given } from './given.js';
import { jobFromSubmission } from './submission.js';

export interface ParseJobRequest {
  token: string;
  namespace: string;
  jobHCL: string;
  variables: string;
  canonicalize: boolean;
  hclV1: boolean;
}

export async function parseJob(
  ctx: EndpointContext,
  request: ParseJobRequest,
): Promise<JobSubmissionInput> {
  const identity = ctx.acl.resolve(request.token);
  // As Nomad: either capability lets a caller parse.
  if (
    !identity.allows(request.namespace, 'parse-job') &&
    !identity.allows(request.namespace, 'submit-job')
  ) {
    throw forbidden();
  }
  if (request.jobHCL === '') throw badRequest(JOB_SPEC_EMPTY);
  // Nomad 1.x before 1.9 read HCLv1 with its jobspec package; berth has only the HCL2 one.
  if (request.hclV1) throw badRequest(HCL1_NOT_SUPPORTED);
  let parsed: Record<string, unknown>;
  try {
    parsed = await parseJobspecOffThread(request.jobHCL, { variables: request.variables });
  } catch (error) {
    if (error instanceof JobspecError) throw badRequest(`Failed to parse job: ${error.message}`);
    if (error instanceof JobspecParserBusyError) throw new EndpointError(429, error.message);
    throw error;
  }
  if (!request.canonicalize) return parsed;
  // The same defaults register fills (api.Job.Canonicalize and the server's), from what was set.
  return canonicalizeJob(jobFromSubmission(parsed), Given.of(parsed));
}
