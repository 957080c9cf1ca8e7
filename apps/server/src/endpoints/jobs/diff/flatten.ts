// Nomad's `helper/flatmap.Flatten`: a struct's fields as a flat map of strings, keyed by path.
//
// With `primitiveOnly` (the form most of the diff uses) a struct yields its primitive fields and
// its maps' entries (`Meta[team]`); nested structs, pointers, slices and interface values are
// left out. Without it (a task's `Config`, a check's headers) everything is walked: `args[0]`,
// `mounts[0].target`, nil as `nil`.
import { goPrimitive, isObject, type JsonObject } from './go-format.js';

/** What the flattener must know of a Go struct that JSON does not say. */
export interface GoStructSpec {
  /** The struct's fields (JSON keys); when absent, the keys the object has. */
  readonly fields?: readonly string[];
  /** Fields that are Go maps: their entries are flattened as `Field[key]`. */
  readonly maps?: readonly string[];
  /** Fields that are Go pointers to primitives (`*bool`, `*time.Duration`): left out. */
  readonly pointers?: readonly string[];
}

/** Primitive fields and map entries of one struct, minus `filter` (Flatten(obj, filter, true)). */
export function flattenPrimitive(
  obj: JsonObject | null | undefined,
  spec: GoStructSpec = {},
  filter: readonly string[] = [],
): Map<string, string> | undefined {
  if (obj === null || obj === undefined) return undefined;
  const out = new Map<string, string>();
  const maps = new Set(spec.maps);
  const pointers = new Set(spec.pointers);
  for (const field of spec.fields ?? Object.keys(obj)) {
    if (pointers.has(field)) continue;
    const value = obj[field];
    const text = goPrimitive(value);
    if (text !== undefined) {
      out.set(field, text);
    } else if (maps.has(field) && isObject(value)) {
      // Only primitive entries: a map of structs or of `interface{}` yields nothing here.
      for (const [key, entry] of Object.entries(value)) {
        const entryText = goPrimitive(entry);
        if (entryText !== undefined) out.set(`${field}[${key}]`, entryText);
      }
    }
  }
  for (const field of filter) out.delete(field);
  return out;
}

/**
 * Everything in a free-form value (Flatten(obj, nil, false)): map keys as `a[b]` (a bare `b` at
 * the top), list items as `a[0]`, null as `nil`. Free-form values nest at most 64 levels (checked
 * when the job is registered), so the recursion is bounded.
 */
export function flattenAll(value: unknown): Map<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  const out = new Map<string, string>();
  walk('', value, out);
  return out;
}

function walk(prefix: string, value: unknown, out: Map<string, string>): void {
  const text = goPrimitive(value);
  if (text !== undefined) {
    out.set(prefix, text);
  } else if (value === null || value === undefined) {
    out.set(prefix, 'nil');
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => walk(`${prefix}[${i}]`, item, out));
  } else if (isObject(value)) {
    for (const [key, entry] of Object.entries(value)) {
      walk(prefix === '' ? key : `${prefix}[${key}]`, entry, out);
    }
  }
}
