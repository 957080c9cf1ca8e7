// The Go facts about Nomad's structs (`nomad/structs`) that a JSON job does not carry: which
// fields a struct has, which are maps (flattened entry by entry) and which are pointers to
// primitives (left out of a primitive flatten, as Go's flatmap skips every pointer it meets
// inside a struct).
import type { GoStructSpec } from './flatten.js';

/**
 * `structs.Job`: berth's job also carries the API's `Migrate`/`Reschedule`, which Go has not.
 * `ConsulToken` is left out: berth never stores it, and a plan must not echo a secret.
 */
export const JOB: GoStructSpec = {
  fields: [
    'Stop',
    'Region',
    'Namespace',
    'ID',
    'ParentID',
    'Name',
    'Type',
    'Priority',
    'AllAtOnce',
    'NodePool',
    'Dispatched',
    'DispatchIdempotencyToken',
    'Meta',
    'ConsulNamespace',
    'VaultToken',
    'VaultNamespace',
    'NomadTokenID',
    'Status',
    'StatusDescription',
    'Stable',
    'Version',
    'SubmitTime',
    'CreateIndex',
    'ModifyIndex',
    'JobModifyIndex',
  ],
  maps: ['Meta'],
};

/** The job fields a diff ignores: set by the server on every version, or secret. */
export const JOB_FILTER = [
  'ID',
  'Status',
  'StatusDescription',
  'Version',
  'Stable',
  'CreateIndex',
  'ModifyIndex',
  'JobModifyIndex',
  'Update',
  'SubmitTime',
  'NomadTokenID',
  'VaultToken',
] as const;

/** `structs.TaskGroup`. */
export const TASK_GROUP: GoStructSpec = {
  fields: ['Name', 'Count', 'Meta', 'PreventRescheduleOnLost'],
  maps: ['Meta'],
};

/** `structs.Task`. */
export const TASK: GoStructSpec = {
  fields: [
    'Name',
    'Driver',
    'User',
    'Env',
    'Meta',
    'KillTimeout',
    'Leader',
    'ShutdownDelay',
    'KillSignal',
    'Kind',
  ],
  maps: ['Env', 'Meta'],
};
