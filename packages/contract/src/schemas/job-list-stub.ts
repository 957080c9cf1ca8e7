// Nomad's JobListStub and JobSummary (nomad/structs/structs.go): the list view of a job, with the
// per-group counts of its allocations.
import { z } from 'zod';
import { JobTypeSchema, MultiregionSchema } from './job.js';
import { goBoolField, goInt, goMap, goPtr, goSlice, goString, goStringMap } from './wire.js';

const TaskGroupSummaryShape = {
  Queued: goInt(),
  Complete: goInt(),
  Failed: goInt(),
  Running: goInt(),
  Starting: goInt(),
  Lost: goInt(),
  Unknown: goInt(),
};

/** The zod type of {@link TaskGroupSummarySchema} (named, so declaration files stay small). */
export interface TaskGroupSummarySchemaType extends z.ZodObject<typeof TaskGroupSummaryShape> {}

/** How many of a group's allocations are in each state (`Queued`: not yet placed). */
export const TaskGroupSummarySchema: TaskGroupSummarySchemaType = z.object(TaskGroupSummaryShape);

/** A task group summary as sent on the wire. */
export type TaskGroupSummary = z.infer<typeof TaskGroupSummarySchema>;

const JobChildrenSummaryShape = {
  Pending: goInt(),
  Running: goInt(),
  Dead: goInt(),
};

/** The zod type of {@link JobChildrenSummarySchema} (named, so declaration files stay small). */
export interface JobChildrenSummarySchemaType extends z.ZodObject<typeof JobChildrenSummaryShape> {}

/** Counts of a periodic or parameterized job's children by status. */
export const JobChildrenSummarySchema: JobChildrenSummarySchemaType =
  z.object(JobChildrenSummaryShape);

/** A job children summary as sent on the wire. */
export type JobChildrenSummary = z.infer<typeof JobChildrenSummarySchema>;

const JobSummaryShape = {
  JobID: goString(),
  Namespace: goString(),
  Summary: goMap(TaskGroupSummarySchema),
  Children: goPtr(JobChildrenSummarySchema),
  CreateIndex: goInt(),
  ModifyIndex: goInt(),
};

/** The zod type of {@link JobSummarySchema} (named, so declaration files stay small). */
export interface JobSummarySchemaType extends z.ZodObject<typeof JobSummaryShape> {}

/** A job's allocation counts, per task group (`Summary`, keyed by group name). */
export const JobSummarySchema: JobSummarySchemaType = z.object(JobSummaryShape);

/** A job summary as sent on the wire. */
export type JobSummary = z.infer<typeof JobSummarySchema>;

const JobListStubShape = {
  ID: z.string(),
  ParentID: goString(),
  Name: goString(),
  Namespace: goString(),
  Datacenters: goSlice(z.string()),
  NodePool: goString(),
  Multiregion: goPtr(MultiregionSchema),
  Type: JobTypeSchema.or(z.literal('')).default(''),
  Priority: goInt(),
  Periodic: goBoolField(),
  ParameterizedJob: goBoolField(),
  Stop: goBoolField(),
  Status: goString(),
  StatusDescription: goString(),
  JobSummary: goPtr(JobSummarySchema),
  CreateIndex: goInt(),
  ModifyIndex: goInt(),
  JobModifyIndex: goInt(),
  SubmitTime: goInt(),
  Meta: goStringMap(),
};

/** The zod type of {@link JobListStubSchema} (named, so declaration files stay small). */
export interface JobListStubSchemaType extends z.ZodObject<typeof JobListStubShape> {}

/**
 * One item of `GET /v1/jobs`. `Periodic` and `ParameterizedJob` say whether the job has those
 * blocks; `JobSummary` counts its allocations per group (`null` if the server has none);
 * `SubmitTime` is unix nanoseconds. `Meta` is only sent with `meta=true` (Nomad omits it when
 * empty; absent parses to `null`).
 */
export const JobListStubSchema: JobListStubSchemaType = z.object(JobListStubShape);

/** A job list stub as sent on the wire. */
export type JobListStub = z.infer<typeof JobListStubSchema>;

/** The body of `GET /v1/jobs`: never `null`, `[]` when empty. */
export const JobListSchema = z.array(JobListStubSchema);

/** The job list as sent on the wire. */
export type JobList = z.infer<typeof JobListSchema>;
