// Nomad's Task (nomad/structs/structs.go): one process (or container, ...) of a task group.
import { z } from 'zod';
import { AffinitySchema, ConstraintSchema } from './constraint.js';
import { ResourcesSchema, TaskLifecycleSchema } from './resources.js';
import { ServiceSchema } from './service.js';
import { RestartPolicySchema } from './task-group-policies.js';
import {
  goBoolField,
  goInt,
  goMap,
  goOpaqueStruct,
  goPtr,
  goSlice,
  goString,
  goStringMap,
} from './wire.js';

const LogConfigShape = {
  MaxFiles: goInt(),
  MaxFileSizeMB: goInt(),
  Disabled: goBoolField(),
};

/** The zod type of {@link LogConfigSchema} (named, so declaration files stay small). */
export interface LogConfigSchemaType extends z.ZodObject<typeof LogConfigShape> {}

/** How many rotated log files a task keeps, and how large each may grow. */
export const LogConfigSchema: LogConfigSchemaType = z.object(LogConfigShape);

/** A log config as sent on the wire. */
export type LogConfig = z.infer<typeof LogConfigSchema>;

const TaskArtifactShape = {
  GetterSource: goString(),
  GetterOptions: goStringMap(),
  GetterHeaders: goStringMap(),
  GetterMode: goString(),
  RelativeDest: goString(),
};

/** The zod type of {@link TaskArtifactSchema} (named, so declaration files stay small). */
export interface TaskArtifactSchemaType extends z.ZodObject<
  typeof TaskArtifactShape,
  'passthrough'
> {}

/** An artifact downloaded into the task directory before the task starts. */
export const TaskArtifactSchema: TaskArtifactSchemaType = z.object(TaskArtifactShape).passthrough();

/** A task artifact as sent on the wire. */
export type TaskArtifact = z.infer<typeof TaskArtifactSchema>;

const TemplateShape = {
  SourcePath: goString(),
  DestPath: goString(),
  EmbeddedTmpl: goString(),
  ChangeMode: goString(),
  ChangeSignal: goString(),
  Splay: goInt(),
  Perms: goString(),
  LeftDelim: goString(),
  RightDelim: goString(),
  Envvars: goBoolField(),
};

/** The zod type of {@link TemplateSchema} (named, so declaration files stay small). */
export interface TemplateSchemaType extends z.ZodObject<typeof TemplateShape, 'passthrough'> {}

/** A template rendered into the task directory. Unknown keys are kept. */
export const TemplateSchema: TemplateSchemaType = z.object(TemplateShape).passthrough();

/** A template as sent on the wire. */
export type Template = z.infer<typeof TemplateSchema>;

const VaultShape = {
  Policies: goSlice(z.string()),
  Namespace: goString(),
  Role: goString(),
  Env: goBoolField(),
  ChangeMode: goString(),
  ChangeSignal: goString(),
};

/** The zod type of {@link VaultSchema} (named, so declaration files stay small). */
export interface VaultSchemaType extends z.ZodObject<typeof VaultShape, 'passthrough'> {}

/** Vault integration of a task. Unknown keys are kept. */
export const VaultSchema: VaultSchemaType = z.object(VaultShape).passthrough();

/** A Vault block as sent on the wire. */
export type Vault = z.infer<typeof VaultSchema>;

const DispatchPayloadConfigShape = {
  File: goString(),
};

/** The zod type of {@link DispatchPayloadConfigSchema} (named, so declaration files stay small). */
export interface DispatchPayloadConfigSchemaType extends z.ZodObject<
  typeof DispatchPayloadConfigShape
> {}

/** Where a dispatched job's payload is written in the task directory. */
export const DispatchPayloadConfigSchema: DispatchPayloadConfigSchemaType = z.object(
  DispatchPayloadConfigShape,
);

/** A dispatch payload config as sent on the wire. */
export type DispatchPayloadConfig = z.infer<typeof DispatchPayloadConfigSchema>;

/** Nomad's ScalingPolicy: autoscaler bounds of a group or task (kept as sent). */
export const ScalingPolicySchema = goOpaqueStruct();
/** Nomad's Consul block of a group or task (kept as sent; berth has no Consul). */
export const ConsulSchema = goOpaqueStruct();
/** Nomad's VolumeMount: where a group volume is mounted in a task (kept as sent). */
export const VolumeMountSchema = goOpaqueStruct();
/** Nomad's Secret: a secret a task reads from a provider (kept as sent). */
export const SecretSchema = goOpaqueStruct();
/** Nomad's WorkloadIdentity: a task's identity token settings (kept as sent). */
export const WorkloadIdentitySchema = goOpaqueStruct();
/** Nomad's Action: a command a user can run in a task (kept as sent). */
export const ActionSchema = goOpaqueStruct();
/** Nomad's TaskSchedule: time windows a task may run in (kept as sent). */
export const TaskScheduleSchema = goOpaqueStruct();
/** Nomad's TaskCSIPluginConfig: a task that is a CSI plugin (kept as sent). */
export const TaskCSIPluginConfigSchema = goOpaqueStruct();

const TaskShape = {
  Name: z.string(),
  Driver: goString(),
  User: goString(),
  Config: goMap(z.unknown()),
  Env: goStringMap(),
  Services: goSlice(ServiceSchema),
  Vault: goPtr(VaultSchema),
  Templates: goSlice(TemplateSchema),
  Constraints: goSlice(ConstraintSchema),
  Affinities: goSlice(AffinitySchema),
  Resources: goPtr(ResourcesSchema),
  RestartPolicy: goPtr(RestartPolicySchema),
  DispatchPayload: goPtr(DispatchPayloadConfigSchema),
  Lifecycle: goPtr(TaskLifecycleSchema),
  Meta: goStringMap(),
  KillTimeout: goInt(),
  LogConfig: goPtr(LogConfigSchema),
  Artifacts: goSlice(TaskArtifactSchema),
  Leader: goBoolField(),
  ShutdownDelay: goInt(),
  KillSignal: goString(),
  Kind: goString(),
  Consul: goPtr(ConsulSchema),
  VolumeMounts: goSlice(VolumeMountSchema),
  ScalingPolicies: goSlice(ScalingPolicySchema),
  Secrets: goSlice(SecretSchema),
  CSIPluginConfig: goPtr(TaskCSIPluginConfigSchema),
  Identity: goPtr(WorkloadIdentitySchema),
  Identities: goSlice(WorkloadIdentitySchema),
  Actions: goSlice(ActionSchema),
  Schedule: goPtr(TaskScheduleSchema),
};

/** The zod type of {@link TaskSchema} (named, so declaration files stay small). */
export interface TaskSchemaType extends z.ZodObject<typeof TaskShape, 'passthrough'> {}

/**
 * A task: what to run (`Driver` + driver-specific `Config`), as whom, with which environment and
 * resources. `KillTimeout` and `ShutdownDelay` are nanoseconds. Unknown keys are kept, so a job
 * submitted by a newer client round-trips.
 */
export const TaskSchema: TaskSchemaType = z.object(TaskShape).passthrough();

/** A task as sent on the wire. */
export type Task = z.infer<typeof TaskSchema>;
