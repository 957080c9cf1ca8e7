// Nomad's AllocDeploymentStatus (nomad/structs/alloc.go): an allocation's health in its deployment.
import { z } from 'zod';
import { goBoolField, goBoolPtr, goInt, goTime } from './wire.js';

const AllocDeploymentStatusShape = {
  Healthy: goBoolPtr(),
  Timestamp: goTime(),
  Canary: goBoolField(),
  ModifyIndex: goInt(),
};

/** The zod type of {@link AllocDeploymentStatusSchema} (named, so declaration files stay small). */
export interface AllocDeploymentStatusSchemaType extends z.ZodObject<
  typeof AllocDeploymentStatusShape
> {}

/** Deployment health of an allocation: `Healthy` is `null` until decided. */
export const AllocDeploymentStatusSchema: AllocDeploymentStatusSchemaType = z.object(
  AllocDeploymentStatusShape,
);

/** An allocation's deployment status as sent on the wire. */
export type AllocDeploymentStatus = z.infer<typeof AllocDeploymentStatusSchema>;
