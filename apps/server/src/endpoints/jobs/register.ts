// Job.Register (nomad/job_endpoint.go): canonicalise and validate the submitted job, then in ONE
// write store it (a new Version only when its spec changed) and create the `job-register`
// evaluation the eval broker picks up. Re-registering an identical job only creates the
// evaluation, which forces a new scheduling pass (as `nomad job eval`).
import {
  ErrorText,
  EvalTriggeredBy,
  goQuote,
  multiError,
  type Evaluation,
  type Job,
} from '@berth/contract';
import type { EndpointContext } from '../context.js';
import { badRequest, forbidden } from '../endpoint-error.js';
import { nowNanos } from '../time.js';
import { admitJob } from './admission.js';
import { JOB_MAX_PRIORITY, JOB_MIN_PRIORITY } from './defaults.js';
import { enforceIndex } from './enforce-index.js';
import { jobEvaluation, wantsEvaluation } from './evaluation.js';
import { jobVersionToStore } from './new-version.js';

export interface RegisterJobRequest {
  token: string;
  /**
   * The job as submitted: the decoded body's fields only (absent ones are Nomad's defaults), or
   * a complete job. `null` when the body has none.
   */
  job: object | null;
  /** The namespace the request names (query, then body); `''` for the job's own, else `default`. */
  namespace: string;
  /** The job ID of the path (`/v1/job/:id`), which the job's must equal; absent for `/v1/jobs`. */
  pathJobID?: string;
  /** Apply only if the job's JobModifyIndex is `jobModifyIndex` (0: only if it does not exist). */
  enforceIndex: boolean;
  jobModifyIndex: number;
  /** Keep the counts of groups that exist in the current version. */
  preserveCounts: boolean;
  /** The evaluation's priority (0: the job's). */
  evalPriority: number;
}

export interface RegisterJobResponse {
  /** The evaluation created ('' for periodic and parameterized jobs, which get none). */
  evalID: string;
  evalCreateIndex: number;
  /** The JobModifyIndex of the job as stored after this request. */
  jobModifyIndex: number;
  warnings: string;
  /** The index of the write. */
  index: number;
}

export async function registerJob(
  ctx: EndpointContext,
  request: RegisterJobRequest,
): Promise<RegisterJobResponse> {
  const identity = ctx.acl.resolve(request.token);
  const submitted = request.job as Record<string, unknown> | null;
  if (!submitted) throw badRequest(ErrorText.JobMustBeSpecified);
  if (request.pathJobID !== undefined) {
    if (typeof submitted.ID !== 'string') throw badRequest(ErrorText.JobIDNotProvided);
    if (submitted.ID !== request.pathJobID) throw badRequest(ErrorText.JobIDDoesNotMatchName);
  }
  const evalPriority = request.evalPriority;
  if (evalPriority !== 0 && (evalPriority < JOB_MIN_PRIORITY || evalPriority > JOB_MAX_PRIORITY)) {
    throw badRequest(ErrorText.EvalPriorityOutOfRange);
  }

  // As in Nomad, validation comes before authorisation.
  const job = admitJob(ctx, submitted, request.namespace);
  const namespace = job.Namespace;
  // Nomad also takes its finer-grained `register-job` in place of `submit-job`.
  if (!identity.allows(namespace, 'submit-job') && !identity.allows(namespace, 'register-job')) {
    throw forbidden();
  }

  let response: Omit<RegisterJobResponse, 'index'> | undefined;
  const index = await ctx.store.write((tx) => {
    // The namespace may have been deleted by a write queued before this one (Nomad's state store
    // checks again too).
    if (!tx.namespace(job.Namespace)) {
      throw badRequest(
        multiError([
          `job ${goQuote(job.ID)} is in nonexistent namespace ${goQuote(job.Namespace)}`,
        ]),
      );
    }
    const existing = tx.job(job.Namespace, job.ID);
    if (request.enforceIndex) enforceIndex(existing, request.jobModifyIndex);
    const next = request.preserveCounts && existing ? withCountsOf(existing, job) : job;
    const now = nowNanos();

    let stored = existing;
    const version = jobVersionToStore(ctx.store, existing, next, tx.index, now);
    if (version) {
      stored = version;
      tx.upsertJob(stored);
    }

    let evaluation: Evaluation | undefined;
    if (wantsEvaluation(stored!)) {
      evaluation = jobEvaluation({
        job: stored!,
        triggeredBy: EvalTriggeredBy.JobRegister,
        priority: evalPriority || stored!.Priority,
        jobModifyIndex: stored!.JobModifyIndex,
        index: tx.index,
        now,
      });
      tx.upsertEval(evaluation);
    }
    response = {
      evalID: evaluation?.ID ?? '',
      evalCreateIndex: evaluation ? tx.index : 0,
      jobModifyIndex: stored!.JobModifyIndex,
      warnings: '',
    };
  });
  return { ...response!, index };
}

/** `job` with the counts of the groups `existing` also has (Nomad's PreserveCounts). */
function withCountsOf(existing: Job, job: Job): Job {
  const counts = new Map((existing.TaskGroups ?? []).map((tg) => [tg.Name, tg.Count]));
  return {
    ...job,
    TaskGroups:
      job.TaskGroups?.map((tg) =>
        counts.has(tg.Name) ? { ...tg, Count: counts.get(tg.Name)! } : tg,
      ) ?? null,
  };
}
