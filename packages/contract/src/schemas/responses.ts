// Response envelopes of the allocation write endpoints.
import { z } from 'zod';

/** The answer to a stop: the evaluation created for it and the index it was applied at. */
export const AllocStopResponseSchema = z.object({
  EvalID: z.string(),
  Index: z.number(),
});

/** A stop response as sent on the wire. */
export type AllocStopResponse = z.infer<typeof AllocStopResponseSchema>;

/**
 * Nomad's GenericResponse, the answer to a signal or restart. Berth sends `{}` (as the seed
 * document shows); Nomad sends `{"Index":0}`. Both parse.
 */
export const GenericResponseSchema = z.object({
  Index: z.number().optional(),
});

/** A generic response as sent on the wire. */
export type GenericResponse = z.infer<typeof GenericResponseSchema>;
