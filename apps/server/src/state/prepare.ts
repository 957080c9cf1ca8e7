// Turns a transaction's staged puts and deletes into the changes to persist and apply, enforcing
// the one cross-table rule: an allocation's `Job` is THE stored object of the job version it was
// placed from, shared by every allocation of that version.

import type { Allocation, Job } from '@berth/contract';

import type { ObjectChange } from './table.js';
import { jobVersionKey, type TableName } from './tables/index.js';
import type { StagedTable, StoreTables } from './tx.js';

export interface PreparedWrite {
  /** Per table, the objects that change (tables without changes are absent). */
  readonly changes: ReadonlyMap<TableName, readonly ObjectChange<unknown>[]>;
  /**
   * Allocations whose shared `Job` object is swapped because their job version object was
   * replaced. Their stored rows (which hold no Job) and their indexes do not change, so they are
   * neither persisted nor counted as a write to `allocs`.
   */
  readonly relinked: readonly ObjectChange<Allocation>[];
}

export function prepareWrite(
  staged: ReadonlyMap<TableName, StagedTable<unknown>>,
  tables: StoreTables,
  freeze: boolean,
): PreparedWrite {
  const allocs = staged.get('allocs') as StagedTable<Allocation> | undefined;
  let versions = staged.get('job_versions') as StagedTable<Job> | undefined;
  const finalVersion = (key: string): Job | null | undefined => {
    const s = versions?.get(key);
    return s !== undefined ? s : tables.job_versions.get(key);
  };

  // Link each written allocation to the stored object of its job version; record versions that
  // are not stored yet.
  for (const [id, alloc] of allocs ?? []) {
    if (alloc === null || alloc.Job === null) continue;
    const job = alloc.Job;
    if (job.ID !== alloc.JobID || job.Namespace !== alloc.Namespace) {
      throw new Error(`state: allocation ${id} has JobID ${alloc.JobID} but Job ${job.ID}`);
    }
    const key = jobVersionKey(alloc.Namespace, alloc.JobID, job.Version);
    let stored = finalVersion(key);
    if (stored === null) {
      throw new Error(
        `state: allocation ${id} links to job version ${job.ID}@${job.Version}, deleted in the same write`,
      );
    }
    if (stored === undefined) {
      versions ??= new Map();
      versions.set(key, job);
      stored = job;
    }
    if (stored !== job) {
      const linked = { ...alloc, Job: stored };
      allocs?.set(id, freeze ? Object.freeze(linked) : linked);
    }
  }

  const relinked: ObjectChange<Allocation>[] = [];
  for (const [key, after] of versions ?? []) {
    const before = tables.job_versions.get(key);
    if (before === undefined || before === after) continue;
    const existing = tables.allocs.sortedBy('job').range({ eq: [before.Namespace, before.ID] });
    if (after === null) {
      // A version may go only when no allocation (as this write leaves them) links to it.
      for (const alloc of existing) {
        const final = allocs?.has(alloc.ID) ? allocs.get(alloc.ID) : alloc;
        if (final?.Job?.Version === before.Version) {
          throw new Error(
            `state: job version ${before.ID}@${before.Version} is still used by allocation ${alloc.ID}`,
          );
        }
      }
      continue;
    }
    for (const alloc of existing) {
      if (alloc.Job !== before || allocs?.has(alloc.ID)) continue;
      const linked = { ...alloc, Job: after };
      relinked.push({ before: alloc, after: freeze ? Object.freeze(linked) : linked });
    }
  }

  const changes = new Map<TableName, ObjectChange<unknown>[]>();
  const all = new Map(staged);
  if (versions !== undefined) all.set('job_versions', versions);
  for (const [name, objs] of all) {
    const table = tables[name];
    const list: ObjectChange<unknown>[] = [];
    for (const [pk, after] of objs) {
      const before = table.get(pk);
      if (after === null) {
        if (before !== undefined) list.push({ before });
      } else {
        list.push({ before, after });
      }
    }
    if (list.length > 0) changes.set(name, list);
  }
  return { changes, relinked };
}
