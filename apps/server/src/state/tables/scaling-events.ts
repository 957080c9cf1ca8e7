// The `scaling_events` table: each job's scaling events per task group, newest first, at most
// JOB_TRACKED_SCALING_EVENTS per group (Nomad's `scaling_event` table of JobScalingEvents).

import type { ScalingEvent } from '@berth/contract';

import type { TableDef } from '../table.js';

/** How many events of one task group are kept (Nomad's JobTrackedScalingEvents). */
export const JOB_TRACKED_SCALING_EVENTS = 20;

/** The scaling events of one job (Nomad's JobScalingEvents). */
export interface JobScalingEvents {
  Namespace: string;
  JobID: string;
  /** Events by task group name, newest first. */
  ScalingEvents: Record<string, ScalingEvent[]>;
  ModifyIndex: number;
}

export const scalingEventsTable: TableDef<JobScalingEvents> = {
  name: 'scaling_events',
  key: [
    { column: 'namespace', type: 'text', field: (e) => e.Namespace },
    { column: 'id', type: 'text', field: (e) => e.JobID },
  ],
};
