// Nomad's TaskGroup (nomad/structs/structs.go): the unit of placement; one allocation runs one
// group's tasks together on one node.
import { z } from 'zod';
import { AffinitySchema, ConstraintSchema, SpreadSchema } from './constraint.js';
import { NetworkResourceSchema } from './resources.js';
import { ServiceSchema } from './service.js';
import {
  EphemeralDiskSchema,
  MigrateStrategySchema,
  ReschedulePolicySchema,
  RestartPolicySchema,
  UpdateStrategySchema,
} from './task-group-policies.js';
import { ConsulSchema, ScalingPolicySchema, TaskSchema } from './task.js';
import { goBoolField, goInt, goMap, goOpaqueStruct, goPtr, goSlice, goStringMap } from './wire.js';

/** Nomad's DisconnectStrategy: what happens to a group's allocations on a lost node. */
export const DisconnectStrategySchema = goOpaqueStruct();

const TaskGroupShape = {
  Name: z.string(),
  Count: goInt(),
  Constraints: goSlice(ConstraintSchema),
  Affinities: goSlice(AffinitySchema),
  Spreads: goSlice(SpreadSchema),
  RestartPolicy: goPtr(RestartPolicySchema),
  ReschedulePolicy: goPtr(ReschedulePolicySchema),
  EphemeralDisk: goPtr(EphemeralDiskSchema),
  Update: goPtr(UpdateStrategySchema),
  Migrate: goPtr(MigrateStrategySchema),
  Networks: goSlice(NetworkResourceSchema),
  Services: goSlice(ServiceSchema),
  Volumes: goMap(z.unknown()),
  ShutdownDelay: goPtr(z.number()),
  StopAfterClientDisconnect: goPtr(z.number()),
  MaxClientDisconnect: goPtr(z.number()),
  MaxRunDuration: goPtr(z.number()),
  Disconnect: goPtr(DisconnectStrategySchema),
  Scaling: goPtr(ScalingPolicySchema),
  Consul: goPtr(ConsulSchema),
  PreventRescheduleOnLost: goBoolField(),
  Meta: goStringMap(),
  Tasks: goSlice(TaskSchema),
};

/** The zod type of {@link TaskGroupSchema} (named, so declaration files stay small). */
export interface TaskGroupSchemaType extends z.ZodObject<typeof TaskGroupShape, 'passthrough'> {}

/**
 * A task group: `Count` allocations of its `Tasks`, placed under its constraints and policies.
 * `ShutdownDelay` and the disconnect durations are nanoseconds. Unknown keys are kept.
 */
export const TaskGroupSchema: TaskGroupSchemaType = z.object(TaskGroupShape).passthrough();

/** A task group as sent on the wire. */
export type TaskGroup = z.infer<typeof TaskGroupSchema>;
