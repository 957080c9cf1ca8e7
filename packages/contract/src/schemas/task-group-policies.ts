// The policies of a task group (and, for restarts, of a task): restart, reschedule, ephemeral
// disk, update and migrate strategies. Durations are nanoseconds.
import { z } from 'zod';
import { goBoolField, goInt, goString } from './wire.js';

/** The values of `RestartPolicy.Mode`. */
export const RestartPolicyMode = {
  Delay: 'delay',
  Fail: 'fail',
} as const;

const RestartPolicyShape = {
  Attempts: goInt(),
  Interval: goInt(),
  Delay: goInt(),
  Mode: goString(),
  RenderTemplates: goBoolField(),
};

/** The zod type of {@link RestartPolicySchema} (named, so declaration files stay small). */
export interface RestartPolicySchemaType extends z.ZodObject<typeof RestartPolicyShape> {}

/** Local restarts of a failed task: up to `Attempts` within `Interval`, `Delay` apart. */
export const RestartPolicySchema: RestartPolicySchemaType = z.object(RestartPolicyShape);

/** A restart policy as sent on the wire. */
export type RestartPolicy = z.infer<typeof RestartPolicySchema>;

/** The values of `ReschedulePolicy.DelayFunction`. */
export const RescheduleDelayFunction = {
  Constant: 'constant',
  Exponential: 'exponential',
  Fibonacci: 'fibonacci',
} as const;

const ReschedulePolicyShape = {
  Attempts: goInt(),
  Interval: goInt(),
  Delay: goInt(),
  DelayFunction: goString(),
  MaxDelay: goInt(),
  Unlimited: goBoolField(),
};

/** The zod type of {@link ReschedulePolicySchema} (named, so declaration files stay small). */
export interface ReschedulePolicySchemaType extends z.ZodObject<typeof ReschedulePolicyShape> {}

/** Replacement of a failed allocation on another node: attempts, window and back-off. */
export const ReschedulePolicySchema: ReschedulePolicySchemaType = z.object(ReschedulePolicyShape);

/** A reschedule policy as sent on the wire. */
export type ReschedulePolicy = z.infer<typeof ReschedulePolicySchema>;

const EphemeralDiskShape = {
  Sticky: goBoolField(),
  SizeMB: goInt(),
  Migrate: goBoolField(),
};

/** The zod type of {@link EphemeralDiskSchema} (named, so declaration files stay small). */
export interface EphemeralDiskSchemaType extends z.ZodObject<typeof EphemeralDiskShape> {}

/** The group's scratch disk: its size, and whether it follows the allocation to a new node. */
export const EphemeralDiskSchema: EphemeralDiskSchemaType = z.object(EphemeralDiskShape);

/** An ephemeral disk as sent on the wire. */
export type EphemeralDisk = z.infer<typeof EphemeralDiskSchema>;

const UpdateStrategyShape = {
  Stagger: goInt(),
  MaxParallel: goInt(),
  HealthCheck: goString(),
  MinHealthyTime: goInt(),
  HealthyDeadline: goInt(),
  ProgressDeadline: goInt(),
  AutoRevert: goBoolField(),
  AutoPromote: goBoolField(),
  Canary: goInt(),
};

/** The zod type of {@link UpdateStrategySchema} (named, so declaration files stay small). */
export interface UpdateStrategySchemaType extends z.ZodObject<typeof UpdateStrategyShape> {}

/** How a job's allocations are replaced on update (rolling updates, canaries). */
export const UpdateStrategySchema: UpdateStrategySchemaType = z.object(UpdateStrategyShape);

/** An update strategy as sent on the wire. */
export type UpdateStrategy = z.infer<typeof UpdateStrategySchema>;

const MigrateStrategyShape = {
  MaxParallel: goInt(),
  HealthCheck: goString(),
  MinHealthyTime: goInt(),
  HealthyDeadline: goInt(),
};

/** The zod type of {@link MigrateStrategySchema} (named, so declaration files stay small). */
export interface MigrateStrategySchemaType extends z.ZodObject<typeof MigrateStrategyShape> {}

/** How allocations are moved off a draining node. */
export const MigrateStrategySchema: MigrateStrategySchemaType = z.object(MigrateStrategyShape);

/** A migrate strategy as sent on the wire. */
export type MigrateStrategy = z.infer<typeof MigrateStrategySchema>;
