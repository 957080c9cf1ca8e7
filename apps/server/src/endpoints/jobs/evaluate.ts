// Job.Evaluate (nomad/job_endpoint.go): a new `job-register` evaluation of the job's current
// version, and with ForceReschedule its failed allocations marked to be rescheduled now, in one
// write.
import { ErrorText, EvalTriggeredBy, type Evaluation, type Job } from '@berth/contract';
import type { EndpointContext } from '../context.js';
import { badRequest, forbidden, notFound } from '../endpoint-error.js';
import { nowNanos } from '../time.js';
import { jobEvaluation } from './evaluation.js';

export interface EvaluateJobRequest {
  token: string;
  namespace: string;
  jobID: string;
  /** Mark failed allocations (of groups that reschedule) for rescheduling now. */
  forceReschedule: boolean;
}

export interface EvaluateJobResponse {
  evalID: string;
  evalCreateIndex: number;
  /** The job's ModifyIndex (unchanged: evaluating writes no job). */
  jobModifyIndex: number;
  /** The index of the write. */
  index: number;
}

/** Nomad's ReschedulePolicy.Enabled(): a policy that allows at least one attempt. */
function reschedules(job: Job, group: string): boolean {
  const policy = job.TaskGroups?.find((g) => g.Name === group)?.ReschedulePolicy;
  return policy != null && (policy.Attempts > 0 || policy.Unlimited);
}

export async function evaluateJob(
  ctx: EndpointContext,
  request: EvaluateJobRequest,
): Promise<EvaluateJobResponse> {
  const identity = ctx.acl.resolve(request.token);
  if (
    !identity.allows(request.namespace, 'submit-job') &&
    !identity.allows(request.namespace, 'evaluate-job')
  ) {
    throw forbidden();
  }
  const { store } = ctx;

  let evaluation: Evaluation | undefined;
  let jobModifyIndex = 0;
  const index = await store.write((tx) => {
    const job = tx.job(request.namespace, request.jobID);
    if (!job) throw notFound(ErrorText.JobNotFound);
    if (job.Periodic !== null) throw badRequest(ErrorText.CannotEvaluatePeriodicJob);
    if (job.ParameterizedJob !== null && !job.Dispatched) {
      throw badRequest(ErrorText.CannotEvaluateParameterizedJob);
    }
    jobModifyIndex = job.ModifyIndex;

    if (request.forceReschedule) {
      for (const alloc of store.allocsByJob(job.Namespace, job.ID)) {
        if (!reschedules(job, alloc.TaskGroup)) continue;
        if (alloc.NextAllocation !== '' || alloc.ClientStatus !== 'failed') continue;
        if (alloc.DesiredTransition.ForceReschedule === true) continue;
        tx.upsertAlloc({
          ...alloc,
          DesiredTransition: { ...alloc.DesiredTransition, ForceReschedule: true },
          ModifyIndex: tx.index,
          AllocModifyIndex: tx.index,
        });
      }
    }

    evaluation = jobEvaluation({
      job,
      triggeredBy: EvalTriggeredBy.JobRegister,
      priority: job.Priority,
      jobModifyIndex: job.ModifyIndex,
      index: tx.index,
      now: nowNanos(),
    });
    tx.upsertEval(evaluation);
  });
  return { evalID: evaluation?.ID ?? '', evalCreateIndex: index, jobModifyIndex, index };
}
