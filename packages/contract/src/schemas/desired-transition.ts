// Nomad's DesiredTransition (nomad/structs/alloc.go): what the scheduler should do to an allocation.
import { z } from 'zod';
import { goBoolPtr } from './wire.js';

const DesiredTransitionShape = {
  Migrate: goBoolPtr(),
  Reschedule: goBoolPtr(),
  ForceReschedule: goBoolPtr(),
  NoShutdownDelay: goBoolPtr(),
  MigrateDisablePlacement: goBoolPtr(),
};

/** The zod type of {@link DesiredTransitionSchema} (named, so declaration files stay small). */
export interface DesiredTransitionSchemaType extends z.ZodObject<typeof DesiredTransitionShape> {}

/**
 * The transitions requested for an allocation. Each key is a Go `*bool`: `null` when unset.
 * Merging: a non-null incoming value overwrites. An absent object parses as all `null`.
 */
export const DesiredTransitionSchema: DesiredTransitionSchemaType =
  z.object(DesiredTransitionShape);

/** A desired transition as sent on the wire. */
export type DesiredTransition = z.infer<typeof DesiredTransitionSchema>;
