// The job version a register stores (Nomad's Job.Register and the state store's upsertJobImpl):
// a new Version only when the spec changed, with the write's index as its modify indexes. A job
// plan builds the same version to schedule against, without storing it.
import type { Job } from '@berth/contract';
import type { StateStore } from '../../state/index.js';
import { specChanged } from './spec-changed.js';
import { allocTerminal, ofThisJob } from './status.js';

/**
 * What register stores for `next` at `index` when the current version is `existing`: undefined
 * when `existing` has the same spec (no new version).
 */
export function jobVersionToStore(
  store: StateStore,
  existing: Job | undefined,
  next: Job,
  index: number,
  now: number,
): Job | undefined {
  if (existing && !specChanged(existing, next)) return undefined;
  return {
    ...next,
    Version: existing ? existing.Version + 1 : firstFreeVersion(store, next),
    CreateIndex: existing?.CreateIndex ?? index,
    ModifyIndex: index,
    JobModifyIndex: index,
    SubmitTime: now,
    Stable: false,
    Status: hasLiveAllocs(store, next, existing) ? 'running' : 'pending',
    StatusDescription: '',
  };
}

/**
 * The version of a new job: 0, or past any version a purged job with the same ID left behind for
 * allocations that still use it (a version number always names one job definition).
 */
function firstFreeVersion(store: StateStore, job: Job): number {
  const [newest] = store.jobVersions(job.Namespace, job.ID);
  return newest ? newest.Version + 1 : 0;
}

/** True if the job being updated still has allocations that should run. */
function hasLiveAllocs(store: StateStore, job: Job, existing: Job | undefined): boolean {
  if (!existing) return false;
  return store
    .allocsByJob(job.Namespace, job.ID)
    .some((a) => ofThisJob(a, existing) && !allocTerminal(a));
}
