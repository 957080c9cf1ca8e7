// Nomad's AllocListStub (nomad/structs/alloc.go): the list view of an allocation.
import { z } from 'zod';
import { ClientStatusSchema, DesiredStatusSchema } from './allocation.js';
import { AllocDeploymentStatusSchema } from './deployment-status.js';
import { DesiredTransitionSchema } from './desired-transition.js';
import { JobTypeSchema } from './job.js';
import { RescheduleTrackerSchema } from './reschedule-tracker.js';
import { AllocatedResourcesSchema } from './resources.js';
import { TaskStateSchema } from './task-state.js';
import { goInt, goMap, goPtr, goSlice, goString } from './wire.js';

const AllocListStubShape = {
  ID: z.string(),
  EvalID: goString(),
  Name: goString(),
  Namespace: goString(),
  NodeID: goString(),
  NodeName: goString(),
  JobID: goString(),
  JobType: JobTypeSchema.or(z.literal('')).default(''),
  JobVersion: goInt(),
  TaskGroup: goString(),
  AllocatedResources: AllocatedResourcesSchema.optional(),
  DesiredStatus: DesiredStatusSchema,
  DesiredDescription: goString(),
  ClientStatus: ClientStatusSchema,
  ClientDescription: goString(),
  DesiredTransition: DesiredTransitionSchema.default({}),
  TaskStates: goMap(TaskStateSchema),
  DeploymentStatus: goPtr(AllocDeploymentStatusSchema),
  FollowupEvalID: goString(),
  NextAllocation: goString(),
  PreviousAllocation: goString(),
  RescheduleTracker: goPtr(RescheduleTrackerSchema),
  PreemptedAllocations: goSlice(z.string()),
  PreemptedByAllocation: goString(),
  CreateIndex: goInt(),
  ModifyIndex: goInt(),
  CreateTime: goInt(),
  ModifyTime: goInt(),
};

/** The zod type of {@link AllocListStubSchema} (named, so declaration files stay small). */
export interface AllocListStubSchemaType extends z.ZodObject<typeof AllocListStubShape> {}

/**
 * One item of `GET /v1/allocations`: Nomad's 27 stub fields, always present, plus
 * `PreviousAllocation` (berth sends it, as the seed's sample shows). `AllocatedResources` is only
 * present with `resources=true`; `TaskStates` is `null` with `task_states=false`. `JobType` and
 * `JobVersion` come from the allocation's job.
 */
export const AllocListStubSchema: AllocListStubSchemaType = z.object(AllocListStubShape);

/** An allocation list stub as sent on the wire. */
export type AllocListStub = z.infer<typeof AllocListStubSchema>;

/** The body of `GET /v1/allocations`: never `null`, `[]` when empty. */
export const AllocListSchema = z.array(AllocListStubSchema);

/** The allocation list as sent on the wire. */
export type AllocList = z.infer<typeof AllocListSchema>;
