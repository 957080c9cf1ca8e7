// Nomad's admission controllers for a submitted job (nomad/job_endpoint_hooks.go, shared by
// Job.Register and Job.Plan): the namespace it goes to, its canonical form with Nomad's defaults,
// and validation, every problem listed in one 400.
import { DEFAULT_NAMESPACE, multiError, type Job } from '@berth/contract';
import { jobLimits, type EndpointContext } from '../context.js';
import { badRequest } from '../endpoint-error.js';
import { canonicalizeJob } from './canonicalize.js';
import { Given } from './given.js';
import { jobFromSubmission } from './submission.js';
import { validateJob } from './validation/job.js';

/**
 * The job `submitted` (the decoded body's fields only, or a complete job) as it would be stored:
 * in the request's namespace (`requestNamespace`, else the job's own, else `default`),
 * canonicalised and valid. Throws a 400 listing every problem.
 */
export function admitJob(
  ctx: EndpointContext,
  submitted: Record<string, unknown>,
  requestNamespace: string,
): Job {
  const ownNamespace = typeof submitted.Namespace === 'string' ? submitted.Namespace : '';
  const namespace = requestNamespace || ownNamespace || DEFAULT_NAMESPACE;
  const job = canonicalizeJob(
    jobFromSubmission({ ...submitted, Namespace: namespace }),
    Given.of(submitted),
  );
  const problems = validateJob(job, {
    namespaceExists: (name) => ctx.store.namespaceByName(name) !== undefined,
    limits: jobLimits(ctx),
  });
  if (problems.length > 0) throw badRequest(multiError(problems));
  return job;
}
