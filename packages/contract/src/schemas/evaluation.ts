// Nomad's Evaluation (nomad/structs/structs.go): a request to the scheduler to reconcile a job.
import { z } from 'zod';
import { AllocMetricSchema } from './alloc-metric.js';
import {
  goBoolField,
  goInt,
  goMap,
  goOpaqueStruct,
  goPtr,
  goSlice,
  goString,
  goTime,
} from './wire.js';

/** The values of `Evaluation.TriggeredBy`: why an evaluation was created. */
export const EvalTriggeredBy = {
  JobRegister: 'job-register',
  JobDeregister: 'job-deregister',
  PeriodicJob: 'periodic-job',
  NodeDrain: 'node-drain',
  NodeUpdate: 'node-update',
  AllocStop: 'alloc-stop',
  Scheduled: 'scheduled',
  RollingUpdate: 'rolling-update',
  DeploymentWatcher: 'deployment-watcher',
  FailedFollowUp: 'failed-follow-up',
  MaxPlans: 'max-plan-attempts',
  RetryFailedAlloc: 'alloc-failure',
  QueuedAllocs: 'queued-allocs',
  Preemption: 'preemption',
  Scaling: 'job-scaling',
  MaxDisconnectTimeout: 'max-disconnect-timeout',
  Reconnect: 'reconnect',
} as const;

/** The values of `Evaluation.Status`. */
export const EvalStatus = {
  Blocked: 'blocked',
  Pending: 'pending',
  Complete: 'complete',
  Failed: 'failed',
  Canceled: 'canceled',
} as const;

/** Schema of one {@link EvalStatus}. */
export const EvalStatusSchema = z.nativeEnum(EvalStatus);

/** One of the {@link EvalStatus} strings. */
export type EvalStatus = z.infer<typeof EvalStatusSchema>;

const EvaluationStubShape = {
  ID: z.string(),
  Namespace: goString(),
  Priority: goInt(),
  Type: goString(),
  TriggeredBy: goString(),
  JobID: goString(),
  NodeID: goString(),
  DeploymentID: goString(),
  Status: EvalStatusSchema,
  StatusDescription: goString(),
  WaitUntil: goTime(),
  NextEval: goString(),
  PreviousEval: goString(),
  BlockedEval: goString(),
  CreateIndex: goInt(),
  ModifyIndex: goInt(),
  CreateTime: goInt(),
  ModifyTime: goInt(),
};

/** The zod type of {@link EvaluationStubSchema} (named, so declaration files stay small). */
export interface EvaluationStubSchemaType extends z.ZodObject<typeof EvaluationStubShape> {}

/** The list view of an evaluation (`RelatedEvals`, and later the evaluations list). */
export const EvaluationStubSchema: EvaluationStubSchemaType = z.object(EvaluationStubShape);

/** An evaluation stub as sent on the wire. */
export type EvaluationStub = z.infer<typeof EvaluationStubSchema>;

/** Nomad's PlanAnnotations: what a plan would do, sent only for `AnnotatePlan` evaluations. */
export const PlanAnnotationsSchema = goOpaqueStruct();

const EvaluationShape = {
  ID: z.string(),
  Namespace: goString(),
  Priority: goInt(),
  Type: goString(),
  TriggeredBy: goString(),
  JobID: goString(),
  JobModifyIndex: goInt(),
  NodeID: goString(),
  NodeModifyIndex: goInt(),
  DeploymentID: goString(),
  Status: EvalStatusSchema,
  StatusDescription: goString(),
  Wait: goInt(),
  WaitUntil: goTime(),
  NextEval: goString(),
  PreviousEval: goString(),
  BlockedEval: goString(),
  RelatedEvals: goSlice(EvaluationStubSchema),
  FailedTGAllocs: goMap(AllocMetricSchema),
  PlanAnnotations: goPtr(PlanAnnotationsSchema),
  ClassEligibility: goMap(z.boolean()),
  QuotaLimitReached: goString(),
  MissingNonNodeResources: goSlice(z.string()),
  EscapedComputedClass: goBoolField(),
  AnnotatePlan: goBoolField(),
  QueuedAllocations: goMap(z.number()),
  LeaderACL: goString(),
  SnapshotIndex: goInt(),
  CreateIndex: goInt(),
  ModifyIndex: goInt(),
  CreateTime: goInt(),
  ModifyTime: goInt(),
};

/** The zod type of {@link EvaluationSchema} (named, so declaration files stay small). */
export interface EvaluationSchemaType extends z.ZodObject<typeof EvaluationShape> {}

/**
 * An evaluation. `Type` is the job's type (or `_core` for internal jobs), `TriggeredBy` one of
 * {@link EvalTriggeredBy}. `Wait` is nanoseconds, `WaitUntil` RFC 3339, `CreateTime`/`ModifyTime`
 * unix nanoseconds. `FailedTGAllocs` maps a task group to the metrics of its failed placement.
 * `LeaderACL` is the leader's internal token: servers must blank it before answering a client.
 */
export const EvaluationSchema: EvaluationSchemaType = z.object(EvaluationShape);

/** An evaluation as sent on the wire. */
export type Evaluation = z.infer<typeof EvaluationSchema>;
