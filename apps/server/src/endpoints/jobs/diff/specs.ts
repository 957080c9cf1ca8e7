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

/**
 * The non-string zero values of Go structs that berth stores as sent (or whose schema lacks the
 * field): Go always has them, so an added struct lists them (`EnableTagOverride: false`) and an
 * absent field equals its zero. Strings need none: Go's "" is absent to the diff anyway.
 */
export const GO_ZEROS = {
  Service: { EnableTagOverride: false },
  ServiceCheck: {
    Expose: false,
    Interval: 0,
    Timeout: 0,
    TLSSkipVerify: false,
    GRPCUseTLS: false,
    SuccessBeforePassing: 0,
    FailuresBeforeCritical: 0,
    FailuresBeforeWarning: 0,
  },
  CheckRestart: { Limit: 0, Grace: 0, IgnoreWarnings: false },
  Port: { Value: 0, To: 0, IgnoreCollision: false },
  WorkloadIdentity: { Env: false, File: false, TTL: 0 },
  // Flattened in full, so its nil pointers show as `nil`.
  DisconnectStrategy: { LostAfter: 0, StopOnClientAfter: null, Replace: null },
  ScalingPolicy: { Min: 0, Max: 0, Enabled: false },
  VolumeRequest: { ReadOnly: false, Sticky: false, PerAlloc: false },
  VolumeMount: { ReadOnly: false },
  TaskArtifact: { GetterInsecure: false, Chown: false },
  Template: { Splay: 0, Envvars: false, VaultGrace: 0, ErrMissingKey: false, Once: false },
} as const;

/** A struct value with Go's zero values under what was stored; undefined stays undefined. */
export function withZeros(
  value: unknown,
  zeros: Readonly<Record<string, unknown>>,
): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return { ...zeros, ...(value as Record<string, unknown>) };
}
