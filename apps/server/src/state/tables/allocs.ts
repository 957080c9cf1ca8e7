// The `allocs` table, as Nomad's: allocations by ID, namespace and create index, job, node, eval.
// Rows are stored without their `Job`, which is re-linked on load to the one shared object of the
// job version it was placed from (job_versions table).

import type { Allocation, Job } from '@berth/contract';

import type { TableDef } from '../table.js';
import { jobKey, jobVersionKey } from './keys.js';

export const allocsTable: TableDef<Allocation> = {
  name: 'allocs',
  key: [{ column: 'id', type: 'text', field: (a) => a.ID }],
  indexes: {
    // By ID alone (the primary key closes every index): prefix scans in ID order.
    id: [],
    namespace_create: [(a) => a.Namespace, (a) => a.CreateIndex],
    create: [(a) => a.CreateIndex],
    job: [(a) => a.Namespace, (a) => a.JobID],
    node: [(a) => a.NodeID],
    eval: [(a) => a.EvalID],
  },
  watch: {
    namespace: (a) => a.Namespace,
    job: (a) => jobKey(a.Namespace, a.JobID),
    node: (a) => a.NodeID || undefined,
    eval: (a) => a.EvalID || undefined,
  },
  columns: [
    { name: 'job_version', type: 'integer', nullable: true, value: (a) => a.Job?.Version ?? null },
  ],
  toDoc: (a) => ({ ...a, Job: null }),
  fromDoc: (doc, row, loaded) => {
    const alloc = doc as Allocation;
    const version = row.values[1]; // key column `id`, then `job_version`
    if (typeof version !== 'number') return alloc;
    const job = loaded.get('job_versions', jobVersionKey(alloc.Namespace, alloc.JobID, version));
    if (job === undefined) {
      throw new Error(
        `state: allocation ${alloc.ID} links to missing job version ${alloc.JobID}@${version}`,
      );
    }
    return { ...alloc, Job: job as Job };
  },
};
