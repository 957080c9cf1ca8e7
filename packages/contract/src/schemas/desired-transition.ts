// Nomad's DesiredTransition (nomad/structs/alloc.go): what the scheduler should do to an allocation.
import { z } from 'zod';
import { goBoolPtr } from './wire.js';

/**
 * The transitions requested for an allocation. Each key is a Go `*bool`: `null` when unset.
 * Merging: a non-null incoming value overwrites. An absent object parses as all `null`.
 */
export const DesiredTransitionSchema = z.object({
  Migrate: goBoolPtr(),
  Reschedule: goBoolPtr(),
  ForceReschedule: goBoolPtr(),
  NoShutdownDelay: goBoolPtr(),
  MigrateDisablePlacement: goBoolPtr(),
});

/** A desired transition as sent on the wire. */
export type DesiredTransition = z.infer<typeof DesiredTransitionSchema>;
