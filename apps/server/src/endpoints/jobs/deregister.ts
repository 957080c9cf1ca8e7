// Job.Deregister (nomad/job_endpoint.go): stop a job (a new version with `Stop: true`) or, with
// `purge`, delete it, and in the same write create the `job-deregister` evaluation with which the
// scheduler stops its allocations.
import { ErrorText, EvalTriggeredBy, type Evaluation, type Job } from '@berth/contract';
import type { Capability } from '../../acl/acl.js';
import type { EndpointContext } from '../context.js';
import { forbidden, notFound } from '../endpoint-error.js';
import { nowNanos } from '../time.js';
import { jobEvaluation, wantsEvaluation } from './evaluation.js';
import { allocTerminal } from './status.js';

export interface DeregisterJobRequest {
  token: string;
  namespace: string;
  jobID: string;
  /** Delete the job, and every version no allocation uses any more. */
  purge: boolean;
  /** The evaluation's priority (0 or less: the job's). */
  evalPriority: number;
  /** Stop the job's allocations without their groups' shutdown delay. */
  noShutdownDelay: boolean;
}

export interface DeregisterJobResponse {
  /** The evaluation created ('' for periodic and parameterized jobs). */
  evalID: string;
  evalCreateIndex: number;
  jobModifyIndex: number;
  /** The index of the write. */
  index: number;
}

export async function deregisterJob(
  ctx: EndpointContext,
  request: DeregisterJobRequest,
): Promise<DeregisterJobResponse> {
  const identity = ctx.acl.resolve(request.token);
  // Nomad's finer-grained capabilities: `purge-job` does either, `deregister-job` only stops.
  const allowed: Capability[] = request.purge
    ? ['submit-job', 'purge-job']
    : ['submit-job', 'purge-job', 'deregister-job'];
  if (!allowed.some((cap) => identity.allows(request.namespace, cap))) throw forbidden();
  const { store } = ctx;

  let evaluation: Evaluation | undefined;
  let jobModifyIndex = 0;
  const index = await store.write((tx) => {
    const job = tx.job(request.namespace, request.jobID);
    // Nomad answers 200 with empty IDs here; berth says the job is not there.
    if (!job) throw notFound(ErrorText.JobNotFound);
    const now = nowNanos();
    jobModifyIndex = tx.index;

    if (request.purge) {
      tx.deleteJob(job.Namespace, job.ID);
      // As Nomad, a purged job's scaling events go with it (a new job of that ID starts afresh).
      tx.deleteScalingEvents(job.Namespace, job.ID);
      // A version an allocation still links to stays until that allocation is gone.
      const allocs = store.allocsByJob(job.Namespace, job.ID);
      for (const version of store.jobVersions(job.Namespace, job.ID)) {
        if (!allocs.some((a) => a.Job?.Version === version.Version)) {
          tx.deleteJobVersion(job.Namespace, job.ID, version.Version);
        }
      }
    } else if (!job.Stop) {
      // Stopping is a new version of the job; stopping a stopped job changes nothing.
      const stopped: Job = {
        ...job,
        Stop: true,
        Version: job.Version + 1,
        ModifyIndex: tx.index,
        JobModifyIndex: tx.index,
        SubmitTime: now,
        Stable: false,
      };
      tx.upsertJob(stopped);
    } else {
      jobModifyIndex = job.JobModifyIndex;
    }

    if (request.noShutdownDelay) {
      for (const alloc of store.allocsByJob(job.Namespace, job.ID)) {
        if (allocTerminal(alloc) || alloc.DesiredTransition.NoShutdownDelay) continue;
        tx.upsertAlloc({
          ...alloc,
          DesiredTransition: { ...alloc.DesiredTransition, NoShutdownDelay: true },
          ModifyIndex: tx.index,
          AllocModifyIndex: tx.index,
        });
      }
    }

    if (wantsEvaluation(job)) {
      evaluation = jobEvaluation({
        job,
        triggeredBy: EvalTriggeredBy.JobDeregister,
        priority: request.evalPriority > 0 ? request.evalPriority : job.Priority,
        jobModifyIndex,
        index: tx.index,
        now,
      });
      tx.upsertEval(evaluation);
    }
  });
  return {
    evalID: evaluation?.ID ?? '',
    evalCreateIndex: evaluation ? index : 0,
    jobModifyIndex,
    index,
  };
}
