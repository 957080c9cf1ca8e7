// The policies of a task group (and, for restarts, of a task): restart, reschedule, ephemeral
// disk, update and migrate strategies. Durations are nanoseconds.
import { z } from 'zod';
import { goBoolField, goInt, goString } from './wire.js';

/** The values of `RestartPolicy.Mode`. */
export const RestartPolicyMode = {
  Delay: 'delay',
  Fail: 'fail',
} as const;

/** Local restarts of a failed task: up to `Attempts` within `Interval`, `Delay` apart. */
export const RestartPolicySchema = z.object({
  Attempts: goInt(),
  Interval: goInt(),
  Delay: goInt(),
  Mode: goString(),
  RenderTemplates: goBoolField(),
});

/** A restart policy as sent on the wire. */
export type RestartPolicy = z.infer<typeof RestartPolicySchema>;

/** The values of `ReschedulePolicy.DelayFunction`. */
export const RescheduleDelayFunction = {
  Constant: 'constant',
  Exponential: 'exponential',
  Fibonacci: 'fibonacci',
} as const;

/** Replacement of a failed allocation on another node: attempts, window and back-off. */
export const ReschedulePolicySchema = z.object({
  Attempts: goInt(),
  Interval: goInt(),
  Delay: goInt(),
  DelayFunction: goString(),
  MaxDelay: goInt(),
  Unlimited: goBoolField(),
});

/** A reschedule policy as sent on the wire. */
export type ReschedulePolicy = z.infer<typeof ReschedulePolicySchema>;

/** The group's scratch disk: its size, and whether it follows the allocation to a new node. */
export const EphemeralDiskSchema = z.object({
  Sticky: goBoolField(),
  SizeMB: goInt(),
  Migrate: goBoolField(),
});

/** An ephemeral disk as sent on the wire. */
export type EphemeralDisk = z.infer<typeof EphemeralDiskSchema>;

/** How a job's allocations are replaced on update (rolling updates, canaries). */
export const UpdateStrategySchema = z.object({
  Stagger: goInt(),
  MaxParallel: goInt(),
  HealthCheck: goString(),
  MinHealthyTime: goInt(),
  HealthyDeadline: goInt(),
  ProgressDeadline: goInt(),
  AutoRevert: goBoolField(),
  AutoPromote: goBoolField(),
  Canary: goInt(),
});

/** An update strategy as sent on the wire. */
export type UpdateStrategy = z.infer<typeof UpdateStrategySchema>;

/** How allocations are moved off a draining node. */
export const MigrateStrategySchema = z.object({
  MaxParallel: goInt(),
  HealthCheck: goString(),
  MinHealthyTime: goInt(),
  HealthyDeadline: goInt(),
});

/** A migrate strategy as sent on the wire. */
export type MigrateStrategy = z.infer<typeof MigrateStrategySchema>;
