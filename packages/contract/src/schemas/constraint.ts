// Nomad's Constraint, Affinity and Spread: placement rules of jobs, groups, tasks and devices.
import { z } from 'zod';
import { goInt, goSlice, goString } from './wire.js';

const ConstraintShape = {
  LTarget: goString(),
  RTarget: goString(),
  Operand: goString(),
};

/** The zod type of {@link ConstraintSchema} (named, so declaration files stay small). */
export interface ConstraintSchemaType extends z.ZodObject<typeof ConstraintShape> {}

/** A hard placement rule: `LTarget Operand RTarget`, e.g. `${attr.kernel.name} = linux`. */
export const ConstraintSchema: ConstraintSchemaType = z.object(ConstraintShape);

/** A constraint as sent on the wire. */
export type Constraint = z.infer<typeof ConstraintSchema>;

const AffinityShape = {
  LTarget: goString(),
  RTarget: goString(),
  Operand: goString(),
  Weight: goInt(),
};

/** The zod type of {@link AffinitySchema} (named, so declaration files stay small). */
export interface AffinitySchemaType extends z.ZodObject<typeof AffinityShape> {}

/** A soft placement preference; `Weight` is -100..100. */
export const AffinitySchema: AffinitySchemaType = z.object(AffinityShape);

/** An affinity as sent on the wire. */
export type Affinity = z.infer<typeof AffinitySchema>;

const SpreadTargetShape = {
  Value: goString(),
  Percent: goInt(),
};

/** The zod type of {@link SpreadTargetSchema} (named, so declaration files stay small). */
export interface SpreadTargetSchemaType extends z.ZodObject<typeof SpreadTargetShape> {}

/** One target value of a spread and the share of allocations it should get. */
export const SpreadTargetSchema: SpreadTargetSchemaType = z.object(SpreadTargetShape);

/** A spread target as sent on the wire. */
export type SpreadTarget = z.infer<typeof SpreadTargetSchema>;

const SpreadShape = {
  Attribute: goString(),
  Weight: goInt(),
  SpreadTarget: goSlice(SpreadTargetSchema),
};

/** The zod type of {@link SpreadSchema} (named, so declaration files stay small). */
export interface SpreadSchemaType extends z.ZodObject<typeof SpreadShape> {}

/** Spread allocations over the values of a node attribute. */
export const SpreadSchema: SpreadSchemaType = z.object(SpreadShape);

/** A spread as sent on the wire. */
export type Spread = z.infer<typeof SpreadSchema>;
