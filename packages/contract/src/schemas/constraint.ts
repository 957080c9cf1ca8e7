// Nomad's Constraint, Affinity and Spread: placement rules of jobs, groups, tasks and devices.
import { z } from 'zod';
import { goInt, goSlice, goString } from './wire.js';

/** A hard placement rule: `LTarget Operand RTarget`, e.g. `${attr.kernel.name} = linux`. */
export const ConstraintSchema = z.object({
  LTarget: goString(),
  RTarget: goString(),
  Operand: goString(),
});

/** A constraint as sent on the wire. */
export type Constraint = z.infer<typeof ConstraintSchema>;

/** A soft placement preference; `Weight` is -100..100. */
export const AffinitySchema = z.object({
  LTarget: goString(),
  RTarget: goString(),
  Operand: goString(),
  Weight: goInt(),
});

/** An affinity as sent on the wire. */
export type Affinity = z.infer<typeof AffinitySchema>;

/** One target value of a spread and the share of allocations it should get. */
export const SpreadTargetSchema = z.object({
  Value: goString(),
  Percent: goInt(),
});

/** A spread target as sent on the wire. */
export type SpreadTarget = z.infer<typeof SpreadTargetSchema>;

/** Spread allocations over the values of a node attribute. */
export const SpreadSchema = z.object({
  Attribute: goString(),
  Weight: goInt(),
  SpreadTarget: goSlice(SpreadTargetSchema),
});

/** A spread as sent on the wire. */
export type Spread = z.infer<typeof SpreadSchema>;
