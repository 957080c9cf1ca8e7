// Nomad's JobSummary: per task group, how many allocations are queued, starting, running,
// complete, failed, lost or unknown. Nomad maintains it as a table; berth counts the job's
// allocations when the summary is read.
import type { Allocation, Evaluation, Job, JobSummary, TaskGroupSummary } from '@berth/contract';
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
  const hasChildren = job.Periodic !== null || (job.ParameterizedJob !== null && !job.Dispatched);
  return {
    JobID: job.ID,
    Namespace: job.Namespace,
    Summary: summary,
    Children: hasChildren ? { Pending: 0, Running: 0, Dead: 0 } : null,
    CreateIndex: job.CreateIndex,
    ModifyIndex: modifyIndex,
  };
}
