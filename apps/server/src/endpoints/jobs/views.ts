// The wire views of a stored job: the read body (Nomad's Job with its current Status) and the
// list stub (Nomad's Job.Stub with its JobSummary). Both depend on the job's allocations and
// evaluations, read in the same snapshot; `index` is the newest write among all of them.
import { JobSchema, type Job, type JobListStub, type JobSummary } from '@berth/contract';
import type { StateStore, WatchSet } from '../../state/index.js';
import { storedDefaults } from '../stored-defaults.js';
import { jobStatus } from './status.js';
import { jobSummary } from './summary.js';

export interface JobView {
  /** The job with its derived `Status`. */
  job: Job;
  summary: JobSummary;
  /** The newest ModifyIndex of the job, its allocations and its evaluations. */
  index: number;
}

const filledJob = storedDefaults(JobSchema);
const wireJobs = new WeakMap<Job, Job>();

/**
 * Fields of Nomad's api.Job that its structs.Job does not have: the server folds `Migrate` and
 * `Reschedule` into the groups (canonicalisation does too) and never keeps the tokens.
 */
const API_ONLY_FIELDS = ['Migrate', 'Reschedule', 'VaultToken', 'ConsulToken'] as const;

/**
 * A stored job as Nomad answers it: every field of its structs.Job, at every depth (a job stored
 * before a field was added lacks it), and none of api.Job's own. What a job read and an
 * allocation's `Job` answer; built once per stored version.
 */
export function jobWireView(stored: Job): Job {
  let view = wireJobs.get(stored);
  if (view === undefined) {
    const out: Record<string, unknown> = { ...filledJob(stored) };
    for (const key of API_ONLY_FIELDS) delete out[key];
    view = out as Job;
    wireJobs.set(stored, view);
  }
  return view;
}

/** Reads what a job's views depend on, watching all of it. */
export function jobView(store: StateStore, stored: Job, ws?: WatchSet): JobView {
  const job = jobWireView(stored);
  const allocs = store.allocsByJob(job.Namespace, job.ID, ws);
  const evals = store.evalsByJob(job.Namespace, job.ID, ws);
  let index = job.ModifyIndex;
  for (const a of allocs) index = Math.max(index, a.ModifyIndex);
  for (const e of evals) index = Math.max(index, e.ModifyIndex);
  const status = jobStatus(job, allocs, evals);
  return {
    job: status === job.Status ? job : { ...job, Status: status },
    summary: jobSummary(job, allocs, evals),
    index,
  };
}

/** The list stub of a job; `Meta` only when asked (`meta=true`). */
export function jobStub(view: JobView, withMeta: boolean): JobListStub {
  const { job } = view;
  return {
    ID: job.ID,
    ParentID: job.ParentID,
    Name: job.Name,
    Namespace: job.Namespace,
    Datacenters: job.Datacenters,
    NodePool: job.NodePool,
    Multiregion: null,
    Type: job.Type,
    Priority: job.Priority,
    Periodic: job.Periodic !== null,
    ParameterizedJob: job.ParameterizedJob !== null && !job.Dispatched,
    Stop: job.Stop,
    Status: job.Status,
    StatusDescription: job.StatusDescription,
    JobSummary: view.summary,
    CreateIndex: job.CreateIndex,
    ModifyIndex: job.ModifyIndex,
    JobModifyIndex: job.JobModifyIndex,
    SubmitTime: job.SubmitTime,
    Meta: withMeta ? job.Meta : null,
  };
}
