// Nomad's JobSummary (Job.Summary, nomad/job_endpoint.go): per task group, how many allocations
// are queued, starting, running, complete, failed, lost or unknown.
//
// Nomad keeps a job_summary table that every allocation, job and evaluation write updates
// (updateSummaryWithAlloc, updateSummaryWithJob, Queued from an evaluation's QueuedAllocations).
// berth derives the same counts when the summary is read, from the job's allocations and
// evaluations read in one snapshot and watched by job: a read is one pass over the job's
// allocations (10,000 of them take well under a millisecond, the same pass job reads and lists
// already make), while a stored summary would add a row write to every allocation update (client
// updates arrive in batches of thousands) and a second copy of the counts that could drift from
// the allocations across restarts and purges. The index moves with any write to what the counts
// come from, so blocking queries wake on them.
import type { Allocation, Evaluation, Job, JobSummary, TaskGroupSummary } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';
import { ofThisJob } from './status.js';

const COUNTED: Readonly<Record<string, keyof TaskGroupSummary>> = {
  pending: 'Starting',
  running: 'Running',
  complete: 'Complete',
  failed: 'Failed',
  lost: 'Lost',
  unknown: 'Unknown',
};

const empty = (): TaskGroupSummary => ({
  Queued: 0,
  Complete: 0,
  Failed: 0,
  Running: 0,
  Starting: 0,
  Lost: 0,
  Unknown: 0,
});

/**
 * The summary of `job` from its allocations (those of earlier jobs with the same ID are left out)
 * and, for `Queued`, the latest evaluation that reported queued allocations.
 */
export function jobSummary(
  job: Job,
  allocs: readonly Allocation[],
  evals: readonly Evaluation[],
): JobSummary {
  const summary: Record<string, TaskGroupSummary> = {};
  for (const tg of job.TaskGroups ?? []) summary[tg.Name] = empty();
  let modifyIndex = job.ModifyIndex;
  for (const alloc of allocs) {
    if (!ofThisJob(alloc, job)) continue;
    const field = COUNTED[alloc.ClientStatus];
    if (field === undefined) continue;
    (summary[alloc.TaskGroup] ??= empty())[field]++;
    modifyIndex = Math.max(modifyIndex, alloc.ModifyIndex);
  }
  let latest: Evaluation | undefined;
  for (const evaluation of evals) {
    if (evaluation.JobID !== job.ID || evaluation.CreateIndex < job.CreateIndex) continue;
    if (evaluation.QueuedAllocations === null) continue;
    if (!latest || evaluation.ModifyIndex > latest.ModifyIndex) latest = evaluation;
  }
  if (latest) {
    for (const [group, queued] of Object.entries(latest.QueuedAllocations ?? {})) {
      (summary[group] ??= empty()).Queued = queued;
    }
    modifyIndex = Math.max(modifyIndex, latest.ModifyIndex);
  }
  return {
    JobID: job.ID,
    Namespace: job.Namespace,
    Summary: summary,
    // Nomad gives every summary a Children record; berth runs no periodic or dispatched children
    // yet, so it is all zeros.
    Children: { Pending: 0, Running: 0, Dead: 0 },
    CreateIndex: job.CreateIndex,
    ModifyIndex: modifyIndex,
  };
}

export interface GetJobSummaryRequest {
  token: string;
  namespace: string;
  jobID: string;
  blocking: BlockingOptions;
}

export interface GetJobSummaryResponse {
  /** The summary, or `undefined` when the job does not exist. */
  summary: JobSummary | undefined;
  /** The summary's ModifyIndex; the jobs table's when the job is missing. */
  index: number;
}

/** Job.Summary: the summary of one job, as a blocking query. */
export async function getJobSummary(
  ctx: EndpointContext,
  request: GetJobSummaryRequest,
): Promise<GetJobSummaryResponse> {
  return blockingQuery(ctx.store, request.blocking, (ws) => {
    // Authorised first, and again on every run: a revoked token stops seeing changes.
    const identity = ctx.acl.resolve(request.token, ws);
    if (!identity.allows(request.namespace, 'read-job')) throw forbidden();
    const job = ctx.store.jobByID(request.namespace, request.jobID, ws);
    if (!job) return { summary: undefined, index: ctx.store.tableIndex('jobs') };
    const summary = jobSummary(
      job,
      ctx.store.allocsByJob(job.Namespace, job.ID, ws),
      ctx.store.evalsByJob(job.Namespace, job.ID, ws),
    );
    return { summary, index: summary.ModifyIndex };
  });
}
