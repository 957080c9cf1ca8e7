// Building blocks for Nomad's JSON encoding.
//
// Nomad omits empty fields on some objects (the Read body) and always sends them on others (list
// stubs). Every schema here accepts both: an absent field parses to Go's zero value ("" / 0 /
// false / null), so the parsed (output) type always has every key, as berth sends it.
import { z } from 'zod';

/** A Go `string`: absent means `""`. */
export const goString = () => z.string().default('');

/** A Go integer (also `time.Duration` and unix-nanosecond `int64`): absent means `0`. */
export const goInt = () => z.number().default(0);

/** A Go `float64`: absent means `0`. */
export const goFloat = () => z.number().default(0);

/** A Go `bool`: absent means `false`. */
export const goBoolField = () => z.boolean().default(false);

/** A Go `*bool`: `null` when unset. */
export const goBoolPtr = () => z.boolean().nullable().default(null);

/**
 * A Go `time.Time`: an RFC 3339 string. Nomad sends `null` for the zero time, berth sends
 * `"0001-01-01T00:00:00Z"`; both are accepted, absent means `null`.
 */
export const goTime = () => z.string().nullable().default(null);

/** A Go pointer to a struct: `null` when unset. */
export const goPtr = <T extends z.ZodTypeAny>(schema: T) => schema.nullable().default(null);

/** A Go slice: `null` when nil. */
export const goSlice = <T extends z.ZodTypeAny>(item: T) => z.array(item).nullable().default(null);

/** A Go `map[string]T`: `null` when nil. */
export const goMap = <T extends z.ZodTypeAny>(value: T) =>
  z.record(z.string(), value).nullable().default(null);

/** A Go `map[string]string`, the shape of every `Meta`, `Env` and `Attributes`. */
export const goStringMap = () => goMap(z.string());

/**
 * A Go struct that berth keeps as sent without acting on it (Consul, workload identities,
 * scaling policies...): any object, its keys kept. Each call makes a distinct schema, so a
 * decoder can name each struct's Go type in its errors.
 */
export const goOpaqueStruct = () => z.object({}).passthrough();
