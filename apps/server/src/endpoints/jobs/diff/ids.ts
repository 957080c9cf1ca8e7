// Nomad's `DiffID`s: what matches an item of a list across two versions of a job.
import type { JsonObject } from './go-format.js';
import { goPrimitive } from './go-format.js';

const text = (value: unknown): string => goPrimitive(value) ?? '';

/** A constraint's `String()`: `LTarget Operand RTarget`. */
export const constraintId = (c: JsonObject): string =>
  `${text(c.LTarget)} ${text(c.Operand)} ${text(c.RTarget)}`;

/** An affinity's `String()`: `LTarget Operand RTarget Weight`. */
export const affinityId = (a: JsonObject): string =>
  `${text(a.LTarget)} ${text(a.Operand)} ${text(a.RTarget)} ${goPrimitive(a.Weight ?? 0) ?? ''}`;

/** An artifact is matched by where it is unpacked. */
export const artifactId = (a: JsonObject): string => text(a.RelativeDest);

/** A template is matched by where it is rendered. */
export const templateId = (t: JsonObject): string => text(t.DestPath);
