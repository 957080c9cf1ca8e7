// Nomad's job status (state store getJobStatus): derived here from the job's allocations and
// evaluations when a job is read, rather than rewritten on every allocation change.
import type { Allocation, Evaluation, Job } from '@berth/contract';

/** Nomad's Allocation.TerminalStatus: told to stop, or finished on the client. */
export function allocTerminal(alloc: Allocation): boolean {
  if (alloc.DesiredStatus === 'stop' || alloc.DesiredStatus === 'evict') return true;
  return ['complete', 'failed', 'lost'].includes(alloc.ClientStatus);
}

/** Nomad's Evaluation.TerminalStatus. */
export function evalTerminal(evaluation: Evaluation): boolean {
  return ['complete', 'failed', 'canceled'].includes(evaluation.Status);
}

/** True if `alloc` was placed for this job, not for an earlier (purged) job with the same ID. */
export function ofThisJob(alloc: Allocation, job: Job): boolean {
  return alloc.Job === null || alloc.Job.CreateIndex === job.CreateIndex;
}

/**
 * `running` while an allocation should run, `pending` while an evaluation is outstanding (or
 * nothing happened yet), else `dead`. System, periodic and parameterized jobs run until stopped.
 */
export function jobStatus(
  job: Job,
  allocs: readonly Allocation[],
  evals: readonly Evaluation[],
): string {
  if (job.Type === 'system' || job.Periodic || (job.ParameterizedJob && !job.Dispatched)) {
    return job.Stop ? 'dead' : 'running';
  }
  if (allocs.some((a) => ofThisJob(a, job) && !allocTerminal(a))) return 'running';
  let hadEval = false;
  for (const evaluation of evals) {
    if (evaluation.JobID !== job.ID) continue;
    if (!evalTerminal(evaluation)) return 'pending';
    hadEval = true;
  }
  return hadEval || job.Stop ? 'dead' : 'pending';
}
