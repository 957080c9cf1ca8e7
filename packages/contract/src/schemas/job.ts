// Nomad's Job (nomad/structs/structs.go): the snapshot embedded in an allocation, and (later) the
// body of the jobs API.
import { z } from 'zod';
import { AffinitySchema, ConstraintSchema, SpreadSchema } from './constraint.js';
import {
  MigrateStrategySchema,
  ReschedulePolicySchema,
  UpdateStrategySchema,
} from './task-group-policies.js';
import { TaskGroupSchema } from './task-group.js';
import {
  goBoolField,
  goInt,
  goOpaqueStruct,
  goPtr,
  goSlice,
  goString,
  goStringMap,
} from './wire.js';

/** The values of `Job.Type`. */
export const JobType = {
  Service: 'service',
  Batch: 'batch',
  System: 'system',
  SysBatch: 'sysbatch',
} as const;

/** Schema of one {@link JobType}. */
export const JobTypeSchema = z.nativeEnum(JobType);

/** One of the {@link JobType} strings. */
export type JobType = z.infer<typeof JobTypeSchema>;

/** The values of `Job.Status` (set by the server; a submitted job may send `""`). */
export const JobStatus = {
  Pending: 'pending',
  Running: 'running',
  Dead: 'dead',
} as const;

const PeriodicConfigShape = {
  Enabled: goBoolField(),
  Spec: goString(),
  Specs: goSlice(z.string()),
  SpecType: goString(),
  ProhibitOverlap: goBoolField(),
  TimeZone: goString(),
};

/** The zod type of {@link PeriodicConfigSchema} (named, so declaration files stay small). */
export interface PeriodicConfigSchemaType extends z.ZodObject<
  typeof PeriodicConfigShape,
  'passthrough'
> {}

/** A cron-like schedule that launches child jobs. */
export const PeriodicConfigSchema: PeriodicConfigSchemaType = z
  .object(PeriodicConfigShape)
  .passthrough();

/** A periodic config as sent on the wire. */
export type PeriodicConfig = z.infer<typeof PeriodicConfigSchema>;

const ParameterizedJobConfigShape = {
  Payload: goString(),
  MetaRequired: goSlice(z.string()),
  MetaOptional: goSlice(z.string()),
};

/** The zod type of {@link ParameterizedJobConfigSchema} (named, so declaration files stay small). */
export interface ParameterizedJobConfigSchemaType extends z.ZodObject<
  typeof ParameterizedJobConfigShape
> {}

/** Makes a job a template dispatched with a payload (`optional`/`required`/`forbidden`) and meta. */
export const ParameterizedJobConfigSchema: ParameterizedJobConfigSchemaType = z.object(
  ParameterizedJobConfigShape,
);

/** A parameterized job config as sent on the wire. */
export type ParameterizedJobConfig = z.infer<typeof ParameterizedJobConfigSchema>;

const MultiregionStrategyShape = {
  MaxParallel: goInt(),
  OnFailure: goString(),
};

/** The zod type of {@link MultiregionStrategySchema} (named, so declaration files stay small). */
export interface MultiregionStrategySchemaType extends z.ZodObject<
  typeof MultiregionStrategyShape
> {}

/** How a multiregion job is rolled out across its regions. */
export const MultiregionStrategySchema: MultiregionStrategySchemaType =
  z.object(MultiregionStrategyShape);

const MultiregionRegionShape = {
  Name: goString(),
  Count: goInt(),
  Datacenters: goSlice(z.string()),
  NodePool: goString(),
  Meta: goStringMap(),
};

/** The zod type of {@link MultiregionRegionSchema} (named, so declaration files stay small). */
export interface MultiregionRegionSchemaType extends z.ZodObject<typeof MultiregionRegionShape> {}

/** One region of a multiregion job. */
export const MultiregionRegionSchema: MultiregionRegionSchemaType =
  z.object(MultiregionRegionShape);

const MultiregionShape = {
  Strategy: goPtr(MultiregionStrategySchema),
  Regions: goSlice(MultiregionRegionSchema),
};

/** The zod type of {@link MultiregionSchema} (named, so declaration files stay small). */
export interface MultiregionSchemaType extends z.ZodObject<typeof MultiregionShape> {}

/** A job's multiregion deployment (Enterprise in Nomad; berth only carries it). */
export const MultiregionSchema: MultiregionSchemaType = z.object(MultiregionShape);

/** A multiregion block as sent on the wire. */
export type Multiregion = z.infer<typeof MultiregionSchema>;

/** Nomad's JobUIConfig: a description and links shown by the web UI (kept as sent). */
export const JobUIConfigSchema = goOpaqueStruct();
/** Nomad's JobVersionTag: a name given to one version of a job (kept as sent). */
export const JobVersionTagSchema = goOpaqueStruct();

const JobShape = {
  Region: goString(),
  Namespace: goString(),
  ID: z.string(),
  ParentID: goString(),
  Name: goString(),
  Type: JobTypeSchema.default(JobType.Service),
  Priority: z.number().default(50),
  AllAtOnce: goBoolField(),
  Datacenters: goSlice(z.string()),
  NodePool: goString(),
  Constraints: goSlice(ConstraintSchema),
  Affinities: goSlice(AffinitySchema),
  Spreads: goSlice(SpreadSchema),
  TaskGroups: goSlice(TaskGroupSchema),
  Update: goPtr(UpdateStrategySchema),
  Migrate: goPtr(MigrateStrategySchema),
  Reschedule: goPtr(ReschedulePolicySchema),
  Periodic: goPtr(PeriodicConfigSchema),
  ParameterizedJob: goPtr(ParameterizedJobConfigSchema),
  Dispatched: goBoolField(),
  DispatchIdempotencyToken: goString(),
  Payload: goPtr(z.string()),
  Meta: goStringMap(),
  VaultToken: goString(),
  ConsulToken: goString(),
  Multiregion: goPtr(MultiregionSchema),
  UI: goPtr(JobUIConfigSchema),
  ConsulNamespace: goString(),
  VaultNamespace: goString(),
  NomadTokenID: goString(),
  VersionTag: goPtr(JobVersionTagSchema),
  Stop: goBoolField(),
  Status: goString(),
  StatusDescription: goString(),
  Stable: goBoolField(),
  Version: goInt(),
  SubmitTime: goInt(),
  CreateIndex: goInt(),
  ModifyIndex: goInt(),
  JobModifyIndex: goInt(),
};

/** The zod type of {@link JobSchema} (named, so declaration files stay small). */
export interface JobSchemaType extends z.ZodObject<typeof JobShape, 'passthrough'> {}

/**
 * A job. Allocations carry the version they were placed from. `SubmitTime` is unix nanoseconds;
 * `Payload` is base64 (berth stores it raw, without Nomad's snappy step). `Type` defaults to
 * `service`, `Priority` to 50 as Nomad's canonicalisation does. Unknown keys (Vault, Consul,
 * multiregion, ...) are kept, so a job round-trips unchanged.
 */
export const JobSchema: JobSchemaType = z.object(JobShape).passthrough();

/** A job as sent on the wire. */
export type Job = z.infer<typeof JobSchema>;
