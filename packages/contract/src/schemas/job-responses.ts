// Response envelopes of the job write endpoints (Nomad's JobRegisterResponse and
// JobDeregisterResponse, with the embedded QueryMeta's `Index`).
import { z } from 'zod';
import { goInt, goString } from './wire.js';

const JobRegisterResponseShape = {
  EvalID: goString(),
  EvalCreateIndex: goInt(),
  JobModifyIndex: goInt(),
  Warnings: goString(),
  Index: goInt(),
};

/** The zod type of {@link JobRegisterResponseSchema} (named, so declaration files stay small). */
export interface JobRegisterResponseSchemaType extends z.ZodObject<
  typeof JobRegisterResponseShape
> {}

/**
 * The answer to a register or update: the evaluation created (`EvalID` is `""` when none was,
 * e.g. for a periodic or parameterized job), the index it was created at, the job's new
 * `JobModifyIndex`, deprecation `Warnings` (`""` when none) and the write's `Index`. Nomad also
 * sends `LastContact`, `KnownLeader` and `NextToken` (its QueryMeta); they are accepted and dropped.
 */
export const JobRegisterResponseSchema: JobRegisterResponseSchemaType =
  z.object(JobRegisterResponseShape);

/** A register response as sent on the wire. */
export type JobRegisterResponse = z.infer<typeof JobRegisterResponseSchema>;

const JobDeregisterResponseShape = {
  EvalID: goString(),
  EvalCreateIndex: goInt(),
  JobModifyIndex: goInt(),
  VolumeEvalID: goString(),
  VolumeEvalIndex: goInt(),
  Index: goInt(),
};

/** The zod type of {@link JobDeregisterResponseSchema} (named, so declaration files stay small). */
export interface JobDeregisterResponseSchemaType extends z.ZodObject<
  typeof JobDeregisterResponseShape
> {}

/**
 * The answer to a deregister: the evaluation created for it, the job's `JobModifyIndex` and the
 * write's `Index`. `VolumeEvalID`/`VolumeEvalIndex` (CSI volume claims) are `""`/0 in berth.
 */
export const JobDeregisterResponseSchema: JobDeregisterResponseSchemaType = z.object(
  JobDeregisterResponseShape,
);

/** A deregister response as sent on the wire. */
export type JobDeregisterResponse = z.infer<typeof JobDeregisterResponseSchema>;
