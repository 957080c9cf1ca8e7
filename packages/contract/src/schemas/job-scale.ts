// Job scaling (Nomad's `/v1/job/:id/scale`): the ScalingRequest body, the ScalingEvent a scale
// records, and the JobScaleStatus read answers.
import { z } from 'zod';
import { ErrorText } from '../errors.js';
import { goJsonDecoder, type GoStruct } from '../go/json-decode.js';
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

const ScalingRequestFields = z.object({
  Count: z.number(),
  Target: z.record(z.string(), z.string()),
  Message: z.string(),
  Error: z.boolean(),
  Meta: z.record(z.string(), z.unknown()),
  PolicyOverride: z.boolean(),
  JobModifyIndex: z.number(),
  Region: z.string(),
  Namespace: z.string(),
  SecretID: z.string(),
});

const decodeScalingRequest = goJsonDecoder(
  ScalingRequestFields,
  new Map<z.ZodTypeAny, GoStruct>([
    [
      ScalingRequestFields,
      {
        name: 'ScalingRequest',
        type: 'api.ScalingRequest',
        types: { Count: '*int64', JobModifyIndex: 'uint64' },
        paths: {
          Region: 'WriteRequest.Region',
          Namespace: 'WriteRequest.Namespace',
          SecretID: 'WriteRequest.SecretID',
        },
      },
    ],
  ]),
);

/** A parsed scale body (Nomad's api `ScalingRequest`). */
export interface ScalingRequest {
  /** The new count; `null` records an event without changing the count. */
  Count: number | null;
  /** `Group` (required), `Job` and `Namespace` (must match the path and the request if given). */
  Target: Record<string, string> | null;
  Message: string;
  /** The event reports a scaler's failure (then no count may be given). */
  Error: boolean;
  Meta: Record<string, unknown> | null;
  /** Accepted, unused (no Sentinel). */
  PolicyOverride: boolean;
  /** When above 0, the scale applies only to that job version. */
  JobModifyIndex: number;
  /** The embedded WriteRequest's fields: accepted; the query and headers decide. */
  Region: string;
  Namespace: string;
  SecretID: string;
}

/** A scale body as a caller writes it: every field optional. */
export type ScalingRequestInput = { [K in keyof ScalingRequest]?: ScalingRequest[K] };

/**
 * The body of a scale, decoded as Nomad's agent decodes it (Go's encoding/json: keys match
 * case-insensitively, a value of the wrong kind or a number out of its Go type's range fails
 * with Go's text, bare); no body is `Request body is empty`.
 */
export const ScalingRequestSchema = z.unknown().transform((body, ctx): ScalingRequest => {
  const fail = (message: string) => {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message, fatal: true });
    return z.NEVER;
  };
  if (body === undefined) return fail(ErrorText.RequestBodyIsEmpty);
  const decoded = decodeScalingRequest(body);
  if (!decoded.ok) return fail(decoded.error);
  const v = decoded.value as Partial<ScalingRequest>;
  return {
    Count: v.Count ?? null,
    Target: v.Target ?? null,
    Message: v.Message ?? '',
    Error: v.Error ?? false,
    Meta: v.Meta ?? null,
    PolicyOverride: v.PolicyOverride ?? false,
    JobModifyIndex: v.JobModifyIndex ?? 0,
    Region: v.Region ?? '',
    Namespace: v.Namespace ?? '',
    SecretID: v.SecretID ?? '',
  };
}) as unknown as z.ZodType<ScalingRequest, z.ZodTypeDef, ScalingRequestInput>;
