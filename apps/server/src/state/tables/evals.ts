// The `evals` table: evaluations by ID, namespace and create index, and job.

import type { Evaluation } from '@berth/contract';

import type { TableDef } from '../table.js';
import { jobKey } from './keys.js';

export const evalsTable: TableDef<Evaluation> = {
  name: 'evals',
  key: [{ column: 'id', type: 'text', field: (e) => e.ID }],
  indexes: {
    id: [],
    namespace_create: [(e) => e.Namespace, (e) => e.CreateIndex],
    create: [(e) => e.CreateIndex],
    job: [(e) => e.Namespace, (e) => e.JobID],
  },
  watch: {
    namespace: (e) => e.Namespace,
    job: (e) => jobKey(e.Namespace, e.JobID),
  },
};
