// Response envelopes of the allocation write endpoints.
import { z } from 'zod';

const AllocStopResponseShape = {
  EvalID: z.string(),
  Index: z.number(),
};

/** The zod type of {@link AllocStopResponseSchema} (named, so declaration files stay small). */
export interface AllocStopResponseSchemaType extends z.ZodObject<typeof AllocStopResponseShape> {}

/** The answer to a stop: the evaluation created for it and the index it was applied at. */
export const AllocStopResponseSchema: AllocStopResponseSchemaType =
  z.object(AllocStopResponseShape);

/** A stop response as sent on the wire. */
export type AllocStopResponse = z.infer<typeof AllocStopResponseSchema>;

const GenericResponseShape = {
  Index: z.number().optional(),
};

/** The zod type of {@link GenericResponseSchema} (named, so declaration files stay small). */
export interface GenericResponseSchemaType extends z.ZodObject<typeof GenericResponseShape> {}

/**
 * Nomad's GenericResponse, the answer to a signal or restart. Berth sends `{}` (as the seed
 * document shows); Nomad sends `{"Index":0}`. Both parse.
 */
export const GenericResponseSchema: GenericResponseSchemaType = z.object(GenericResponseShape);

/** A generic response as sent on the wire. */
export type GenericResponse = z.infer<typeof GenericResponseSchema>;
