// Objects written before a field was added to the contract lack it; a read must still carry every
// field Nomad sends. Parsing a stored object with its wire schema fills each missing field with
// Go's zero value (the schemas' defaults) and keeps everything else as stored. Stored objects are
// immutable, so the filled object is built once per stored version.
import type { z } from 'zod';

/** A wire schema whose output is `T`. */
export interface WireSchema<T> {
  safeParse(value: unknown): z.SafeParseReturnType<unknown, T>;
}

/**
 * `stored` with every field of `schema` present. An object the schema does not accept (a value
 * written by a berth with other rules) is answered as stored: the read stays possible, with what
 * was kept.
 */
export function withStoredDefaults<T extends object>(schema: WireSchema<T>, stored: T): T {
  const parsed = schema.safeParse(stored);
  return parsed.success ? parsed.data : stored;
}

/** {@link withStoredDefaults} for one schema, built once per stored object. */
export function storedDefaults<T extends object>(schema: WireSchema<T>): (stored: T) => T {
  const cache = new WeakMap<T, T>();
  return (stored) => {
    let filled = cache.get(stored);
    if (filled === undefined) {
      filled = withStoredDefaults(schema, stored);
      cache.set(stored, filled);
    }
    return filled;
  };
}

/** Go's zero `time.Time` as berth sends it (Nomad's read bodies show it for an unset time). */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** A `time.Time` field's value on the wire: the zero time for an unset (`null`) one. */
export function wireTime(value: string | null): string {
  return value ?? GO_ZERO_TIME;
}
