// Nomad's job plan (api.JobPlanRequest / structs.JobPlanResponse, api/jobs.go): the body of
// `PUT|POST /v1/job/:id/plan`, a dry run of the scheduler, and its answer.
import { z } from 'zod';
import { goBodySchema } from './go-body.js';
import { goJsonDecoder } from '../go/json-decode.js';
import { AllocListStubSchema } from './alloc-list-stub.js';
import { AllocMetricSchema } from './alloc-metric.js';
import { EvaluationSchema } from './evaluation.js';
import { JobDiffSchema } from './job-diff.js';
import { JOB_API_STRUCTS, type JobSubmission, type JobSubmissionInput } from './job-register.js';
import { JobSchema } from './job.js';
import { goBoolField, goInt, goMap, goPtr, goSlice, goString } from './wire.js';

/** Go's zero `time.Time`, as Nomad sends `NextPeriodicLaunch` for a job that is not periodic. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

const DesiredUpdatesShape = {
  Ignore: goInt(),
  Place: goInt(),
  Migrate: goInt(),
  Stop: goInt(),
  InPlaceUpdate: goInt(),
  DestructiveUpdate: goInt(),
  Canary: goInt(),
  Preemptions: goInt(),
  Disconnect: goInt(),
  Reconnect: goInt(),
  RescheduleNow: goInt(),
  RescheduleLater: goInt(),
};

/** The zod type of {@link DesiredUpdatesSchema} (named, so declaration files stay small). */
export interface DesiredUpdatesSchemaType extends z.ZodObject<typeof DesiredUpdatesShape> {}

/**
 * What the scheduler would do to one task group (Nomad's `DesiredUpdates`): allocations left as
 * they are (`Ignore`), placed, migrated, stopped, updated in place, replaced (`DestructiveUpdate`),
 * canaries, preemptions, and allocations disconnecting, reconnecting or rescheduled now or later.
 */
export const DesiredUpdatesSchema: DesiredUpdatesSchemaType = z.object(DesiredUpdatesShape);

/** A {@link DesiredUpdatesSchema} as sent on the wire. */
export type DesiredUpdates = z.infer<typeof DesiredUpdatesSchema>;

const JobPlanAnnotationsShape = {
  /** Per task group, what the scheduler would do. */
  DesiredTGUpdates: goMap(DesiredUpdatesSchema),
  /** Allocations of other jobs the plan would preempt; `null` when none. */
  PreemptedAllocs: goSlice(AllocListStubSchema),
};

/** The zod type of {@link JobPlanAnnotationsSchema} (named, so declaration files stay small). */
export interface JobPlanAnnotationsSchemaType extends z.ZodObject<typeof JobPlanAnnotationsShape> {}

/** The scheduler's explanation of a plan (Nomad's `PlanAnnotations`). */
export const JobPlanAnnotationsSchema: JobPlanAnnotationsSchemaType =
  z.object(JobPlanAnnotationsShape);

/** A {@link JobPlanAnnotationsSchema} as sent on the wire. */
export type JobPlanAnnotations = z.infer<typeof JobPlanAnnotationsSchema>;

const JobPlanResponseShape = {
  Annotations: goPtr(JobPlanAnnotationsSchema),
  /** Per task group, the metrics of the placement that did not fit; `null` when all fit. */
  FailedTGAllocs: goMap(AllocMetricSchema),
  /** The job's current `JobModifyIndex` (0 for a new job): `nomad job run -check-index` uses it. */
  JobModifyIndex: goInt(),
  /** The evaluations the scheduler would create (a blocked one); `null` when none. */
  CreatedEvals: goSlice(EvaluationSchema),
  /** The annotated difference from the current job, when the request asked for it. */
  Diff: goPtr(JobDiffSchema),
  /** RFC 3339: the next launch of a periodic job, else Go's zero time. */
  NextPeriodicLaunch: z.string().default(GO_ZERO_TIME),
  Warnings: goString(),
  Index: goInt(),
};

/** The zod type of {@link JobPlanResponseSchema} (named, so declaration files stay small). */
export interface JobPlanResponseSchemaType extends z.ZodObject<typeof JobPlanResponseShape> {}

/** The answer to a job plan (Nomad's `JobPlanResponse`, with its WriteMeta's `Index`). */
export const JobPlanResponseSchema: JobPlanResponseSchemaType = z.object(JobPlanResponseShape);

/** A job plan answer as sent on the wire. */
export type JobPlanResponse = z.infer<typeof JobPlanResponseSchema>;

const JobPlanRequestShape = {
  Job: goPtr(JobSchema),
  Diff: goBoolField(),
  PolicyOverride: goBoolField(),
  Region: goString(),
  Namespace: goString(),
  SecretID: goString(),
};

/** The zod type of the request's field list (named, so declaration files stay small). */
interface JobPlanRequestFieldsType extends z.ZodObject<typeof JobPlanRequestShape> {}

// Describes the request to the decoder only; the output is built below.
const JobPlanRequestFields: JobPlanRequestFieldsType = z.object(JobPlanRequestShape);

const decodePlanRequest = goJsonDecoder(
  JobPlanRequestFields,
  new Map([
    ...JOB_API_STRUCTS,
    [
      JobPlanRequestFields,
      {
        name: 'JobPlanRequest',
        type: 'api.JobPlanRequest',
        types: { Job: '*api.Job' },
        paths: {
          Region: 'WriteRequest.Region',
          Namespace: 'WriteRequest.Namespace',
          SecretID: 'WriteRequest.SecretID',
        },
      },
    ],
  ]),
);

/** A decoded plan request; `Job` is `null` when absent, else the job as submitted (partial). */
export type JobPlanRequest = Omit<z.output<JobPlanRequestFieldsType>, 'Job'> & {
  /** The job, as submitted (partial); `null` when the body has none. */
  Job: JobSubmission | null;
};

/** A plan request as a caller may send it. */
export type JobPlanRequestInput = Omit<z.input<JobPlanRequestFieldsType>, 'Job'> & {
  /** The job to plan. */
  Job?: JobSubmissionInput | null;
};

const ZERO_REQUEST: JobPlanRequest = {
  Job: null,
  Diff: false,
  PolicyOverride: false,
  Region: '',
  Namespace: '',
  SecretID: '',
};

/**
 * The body of a job plan (Nomad's api.JobPlanRequest): `Job`, `Diff` (answer the annotated
 * difference from the current job), `PolicyOverride`, and the embedded write options `Region`,
 * `Namespace`, `SecretID`. Decoded as the register body is (Go's encoding/json: keys match
 * case-insensitively, Go's texts for values of the wrong kind); an absent body fails with
 * `Request body is empty`.
 */
export const JobPlanRequestSchema = goBodySchema<JobPlanRequest, JobPlanRequestInput>((body) => {
  const decoded = decodePlanRequest(body);
  return decoded.ok ? { ok: true, value: { ...ZERO_REQUEST, ...decoded.value } } : decoded;
});
