// Nomad's Job.EnforceIndex: the check-and-set of `nomad job run -check-index`. The register
// applies only if the job's JobModifyIndex is still the one the caller saw (0: the job must not
// exist yet). Clients match the `Enforcing job modify index` prefix.
import type { Job } from '@berth/contract';
import { conflict } from '../endpoint-error.js';

/** The prefix of every enforce-index error (Nomad's RegisterEnforceIndexErrPrefix). */
export const ENFORCE_INDEX_PREFIX = 'Enforcing job modify index';

/** Throws a 409 unless `index` matches `existing` (Nomad answers these with a 500). */
export function enforceIndex(existing: Job | undefined, index: number): void {
  if (existing) {
    if (index === 0) throw conflict(`${ENFORCE_INDEX_PREFIX} 0: job already exists`);
    if (index !== existing.JobModifyIndex) {
      throw conflict(
        `${ENFORCE_INDEX_PREFIX} ${index}: job exists with conflicting job modify index: ${existing.JobModifyIndex}`,
      );
    }
  } else if (index !== 0) {
    throw conflict(`${ENFORCE_INDEX_PREFIX} ${index}: job does not exist`);
  }
}
