// Nomad's Allocation (nomad/structs/alloc.go): one task group of one job version placed on one
// node. The body of `GET /v1/allocation/:id`.
import { z } from 'zod';
import { AllocMetricSchema } from './alloc-metric.js';
import { AllocDeploymentStatusSchema } from './deployment-status.js';
import { DesiredTransitionSchema } from './desired-transition.js';
import { JobSchema } from './job.js';
import { AllocNetworkStatusSchema } from './network-status.js';
import { RescheduleTrackerSchema } from './reschedule-tracker.js';
import { AllocatedResourcesSchema, ResourcesSchema } from './resources.js';
import { TaskStateSchema } from './task-state.js';
import { goInt, goMap, goPtr, goSlice, goString, goTime } from './wire.js';

/** The values of `DesiredStatus`: what the servers want for the allocation. */
export const DesiredStatus = {
  Run: 'run',
  Stop: 'stop',
  Evict: 'evict',
} as const;

/** Schema of one {@link DesiredStatus}. */
export const DesiredStatusSchema = z.nativeEnum(DesiredStatus);

/** One of the {@link DesiredStatus} strings. */
export type DesiredStatus = z.infer<typeof DesiredStatusSchema>;

/** The values of `ClientStatus`: what the node agent reports. */
export const ClientStatus = {
  Pending: 'pending',
  Running: 'running',
  Complete: 'complete',
  Failed: 'failed',
  Lost: 'lost',
  Unknown: 'unknown',
} as const;

/** Schema of one {@link ClientStatus}. */
export const ClientStatusSchema = z.nativeEnum(ClientStatus);

/** One of the {@link ClientStatus} strings. */
export type ClientStatus = z.infer<typeof ClientStatusSchema>;

/** The client statuses after which an allocation never runs again. */
export const TERMINAL_CLIENT_STATUSES: readonly ClientStatus[] = [
  ClientStatus.Complete,
  ClientStatus.Failed,
  ClientStatus.Lost,
];

const AllocStateShape = {
  Field: goString(),
  Value: goString(),
  Time: goTime(),
};

/** The zod type of {@link AllocStateSchema} (named, so declaration files stay small). */
export interface AllocStateSchemaType extends z.ZodObject<typeof AllocStateShape> {}

/** One change of an allocation's client-side state (e.g. `ClientStatus` → `unknown`), with its time. */
export const AllocStateSchema: AllocStateSchemaType = z.object(AllocStateShape);

/** An allocation state change as sent on the wire. */
export type AllocState = z.infer<typeof AllocStateSchema>;

const AllocationShape = {
  ID: z.string(),
  Namespace: goString(),
  EvalID: goString(),
  Name: goString(),
  NodeID: goString(),
  NodeName: goString(),
  JobID: goString(),
  Job: goPtr(JobSchema),
  TaskGroup: goString(),
  Resources: goPtr(ResourcesSchema),
  SharedResources: goPtr(ResourcesSchema),
  TaskResources: goMap(ResourcesSchema),
  AllocatedResources: goPtr(AllocatedResourcesSchema),
  Metrics: goPtr(AllocMetricSchema),
  DesiredStatus: DesiredStatusSchema,
  DesiredDescription: goString(),
  DesiredTransition: DesiredTransitionSchema.default({}),
  ClientStatus: ClientStatusSchema,
  ClientDescription: goString(),
  TaskStates: goMap(TaskStateSchema),
  AllocStates: goSlice(AllocStateSchema),
  PreviousAllocation: goString(),
  NextAllocation: goString(),
  DeploymentID: goString(),
  DeploymentStatus: goPtr(AllocDeploymentStatusSchema),
  RescheduleTracker: goPtr(RescheduleTrackerSchema),
  NetworkStatus: goPtr(AllocNetworkStatusSchema),
  FollowupEvalID: goString(),
  PreemptedAllocations: goSlice(z.string()),
  PreemptedByAllocation: goString(),
  SigningKeyID: goString(),
  CreateIndex: goInt(),
  ModifyIndex: goInt(),
  AllocModifyIndex: goInt(),
  CreateTime: goInt(),
  ModifyTime: goInt(),
};

/** The zod type of {@link AllocationSchema} (named, so declaration files stay small). */
export interface AllocationSchemaType extends z.ZodObject<typeof AllocationShape> {}

/**
 * An allocation, every field. Berth sends every key (empty values as `""`, `0`, `false`, `null`);
 * Nomad omits empty ones, which parse to the same values. `CreateTime`/`ModifyTime` are unix
 * nanoseconds. `Resources`, `SharedResources` and `TaskResources` are Nomad's deprecated
 * pre-0.9 views of `AllocatedResources`.
 */
export const AllocationSchema: AllocationSchemaType = z.object(AllocationShape);

/** An allocation as sent on the wire (the Read body). */
export type Allocation = z.infer<typeof AllocationSchema>;
