// The `jobs` table (the current version of each job, by namespace and ID) and `job_versions`
// (every kept version, by namespace, ID and version), as Nomad's `jobs` and `job_version`.

import type { Job } from '@berth/contract';

import type { TableDef } from '../table.js';
import { jobKey, jobVersionKey } from './keys.js';

export const jobsTable: TableDef<Job> = {
  name: 'jobs',
  key: [
    { column: 'namespace', type: 'text', field: (j) => j.Namespace },
    { column: 'id', type: 'text', field: (j) => j.ID },
  ],
  indexes: {
    namespace: [(j) => j.Namespace, (j) => j.ID],
  },
  watch: {
    namespace: (j) => j.Namespace,
  },
  // The current job is usually also its latest version: share that one object.
  fromDoc: (doc, row, loaded) => {
    const job = doc as Job;
    const version = loaded.get('job_versions', jobVersionKey(job.Namespace, job.ID, job.Version));
    return version !== undefined && JSON.stringify(version) === row.doc ? (version as Job) : job;
  },
};

export const jobVersionsTable: TableDef<Job> = {
  name: 'job_versions',
  key: [
    { column: 'namespace', type: 'text', field: (j) => j.Namespace },
    { column: 'id', type: 'text', field: (j) => j.ID },
    { column: 'version', type: 'integer', field: (j) => j.Version },
  ],
  indexes: {
    job: [(j) => j.Namespace, (j) => j.ID, (j) => j.Version],
  },
  watch: {
    job: (j) => jobKey(j.Namespace, j.ID),
  },
};
