// Job scaling (Nomad's `/v1/job/:id/scale`): the ScalingRequest body, the ScalingEvent a scale
// records, and the JobScaleStatus read answers.
import { z } from 'zod';
import { goBoolField, goInt, goSlice, goString } from './wire.js';

/** A `map[string]any` as Nomad's scaling `Meta`: any JSON values, `null` when unset. */
const anyMap = () => z.record(z.string(), z.unknown()).nullable().default(null);

const ScalingEventShape = {
  /** When the event was recorded, unix nanoseconds. */
  Time: goInt(),
  /** The count asked for; `null` for an event that changed no count (e.g. an error report). */
  Count: z.number().nullable().default(null),
  /** The group's count before the event. */
  PreviousCount: goInt(),
  Message: goString(),
  /** Whether the event reports a failure of the scaler (then it carries no count). */
  Error: goBoolField(),
  Meta: anyMap(),
  /** The evaluation the count change created; `null` when none was. */
  EvalID: z.string().nullable().default(null),
  /** The index of the write that recorded the event. */
  CreateIndex: goInt(),
};

/** The zod type of {@link ScalingEventSchema} (named, so declaration files stay small). */
export interface ScalingEventSchemaType extends z.ZodObject<typeof ScalingEventShape> {}

/** One scaling event of a task group (Nomad's `ScalingEvent`). */
export const ScalingEventSchema: ScalingEventSchemaType = z.object(ScalingEventShape);

/** A scaling event as sent on the wire. */
export type ScalingEvent = z.infer<typeof ScalingEventSchema>;

const TaskGroupScaleStatusShape = {
  /** The group's count. */
  Desired: goInt(),
  /** Non-terminal allocations of the group. */
  Placed: goInt(),
  /** Of those, the running ones. */
  Running: goInt(),
  /** Of those, the ones whose deployment marked them healthy. */
  Healthy: goInt(),
  /** Of those, the ones whose deployment marked them unhealthy. */
  Unhealthy: goInt(),
  /** The group's scaling events, newest first (at most 20 kept). */
  Events: goSlice(ScalingEventSchema),
};

/** The zod type of {@link TaskGroupScaleStatusSchema} (named, so declaration files stay small). */
export interface TaskGroupScaleStatusSchemaType extends z.ZodObject<
  typeof TaskGroupScaleStatusShape
> {}

/** The scale status of one task group (Nomad's `TaskGroupScaleStatus`). */
export const TaskGroupScaleStatusSchema: TaskGroupScaleStatusSchemaType =
  z.object(TaskGroupScaleStatusShape);

/** A task group's scale status as sent on the wire. */
export type TaskGroupScaleStatus = z.infer<typeof TaskGroupScaleStatusSchema>;

const JobScaleStatusShape = {
  JobID: goString(),
  Namespace: goString(),
  JobCreateIndex: goInt(),
  JobModifyIndex: goInt(),
  JobStopped: goBoolField(),
  /** Each task group's status, by group name. */
  TaskGroups: z.record(z.string(), TaskGroupScaleStatusSchema).nullable().default(null),
};

/** The zod type of {@link JobScaleStatusSchema} (named, so declaration files stay small). */
export interface JobScaleStatusSchemaType extends z.ZodObject<typeof JobScaleStatusShape> {}

/** The answer of `GET /v1/job/:id/scale` (Nomad's `JobScaleStatus`). */
export const JobScaleStatusSchema: JobScaleStatusSchemaType = z.object(JobScaleStatusShape);

/** A job's scale status as sent on the wire. */
export type JobScaleStatus = z.infer<typeof JobScaleStatusSchema>;

/**
 * The body of a scale (Nomad's api `ScalingRequest`): `Count` (absent or `null`: record an event
 * without changing the count), `Target` (`Group` required; `Job` and `Namespace` must match the
 * path and the request when given), `Message`, `Error`, `Meta`, `PolicyOverride` (accepted,
 * unused) and `JobModifyIndex` (when above 0, the scale applies only to that job version).
 */
export const ScalingRequestSchema = z.object({
  Count: z
    .number()
    .int()
    .min(-(2 ** 53))
    .max(2 ** 53)
    .nullable()
    .default(null),
  Target: z.record(z.string(), z.string()).nullable().default(null),
  Message: goString(),
  Error: goBoolField(),
  Meta: anyMap(),
  PolicyOverride: goBoolField(),
  JobModifyIndex: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  /** The embedded WriteRequest's fields: accepted; the query and headers decide. */
  Region: goString(),
  Namespace: goString(),
  SecretID: goString(),
});

/** A parsed scale body. */
export type ScalingRequest = z.infer<typeof ScalingRequestSchema>;
