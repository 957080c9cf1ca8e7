// Nomad's AllocDeploymentStatus (nomad/structs/alloc.go): an allocation's health in its deployment.
import { z } from 'zod';
import { goBoolField, goBoolPtr, goInt, goTime } from './wire.js';

/** Deployment health of an allocation: `Healthy` is `null` until decided. */
export const AllocDeploymentStatusSchema = z.object({
  Healthy: goBoolPtr(),
  Timestamp: goTime(),
  Canary: goBoolField(),
  ModifyIndex: goInt(),
});

/** An allocation's deployment status as sent on the wire. */
export type AllocDeploymentStatus = z.infer<typeof AllocDeploymentStatusSchema>;
