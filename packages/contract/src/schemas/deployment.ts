// Nomad's Deployment and DeploymentState (nomad/structs/structs.go): a job version's rollout and,
// per task group, its progress. berth makes no deployments yet, so its reads answer none; the
// shape is what a Go client decodes once they exist.
import { z } from 'zod';
import { goBoolField, goInt, goMap, goSlice, goString, goTime } from './wire.js';

const DeploymentStateShape = {
  AutoRevert: goBoolField(),
  AutoPromote: goBoolField(),
  /** Nanoseconds. */
  ProgressDeadline: goInt(),
  RequireProgressBy: goTime(),
  Promoted: goBoolField(),
  PlacedCanaries: goSlice(z.string()),
  DesiredCanaries: goInt(),
  DesiredTotal: goInt(),
  PlacedAllocs: goInt(),
  HealthyAllocs: goInt(),
  UnhealthyAllocs: goInt(),
};

/** The zod type of {@link DeploymentStateSchema} (named, so declaration files stay small). */
export interface DeploymentStateSchemaType extends z.ZodObject<typeof DeploymentStateShape> {}

/** A task group's progress in a deployment. */
export const DeploymentStateSchema: DeploymentStateSchemaType = z.object(DeploymentStateShape);

/** A deployment state as sent on the wire. */
export type DeploymentState = z.infer<typeof DeploymentStateSchema>;

const DeploymentShape = {
  ID: goString(),
  Namespace: goString(),
  JobID: goString(),
  JobVersion: goInt(),
  JobModifyIndex: goInt(),
  JobSpecModifyIndex: goInt(),
  JobCreateIndex: goInt(),
  IsMultiregion: goBoolField(),
  TaskGroups: goMap(DeploymentStateSchema),
  Status: goString(),
  StatusDescription: goString(),
  EvalPriority: goInt(),
  CreateIndex: goInt(),
  ModifyIndex: goInt(),
  /** Unix nanoseconds. */
  CreateTime: goInt(),
  /** Unix nanoseconds. */
  ModifyTime: goInt(),
};

/** The zod type of {@link DeploymentSchema} (named, so declaration files stay small). */
export interface DeploymentSchemaType extends z.ZodObject<typeof DeploymentShape> {}

/** A deployment: the rollout of one job version, with each task group's progress. */
export const DeploymentSchema: DeploymentSchemaType = z.object(DeploymentShape);

/** A deployment as sent on the wire. */
export type Deployment = z.infer<typeof DeploymentSchema>;
