// Nomad's generic object diffs: `primitiveObjectDiff` (one nested struct's primitive fields),
// `primitiveObjectSetDiff` (a list matched as a set), `stringSetDiff` (a list of strings).
import type { FieldDiff, ObjectDiff } from '@berth/contract';
import { fieldDiff, compareFieldDiffs, fieldDiffs, sortedObjects } from './fields.js';
import { flattenAll, flattenPrimitive, type GoStructSpec } from './flatten.js';
import { isObject, type JsonObject } from './go-format.js';

/** A struct value from a stored job: an object, or null/absent for Go's nil pointer. */
type Struct = JsonObject | null | undefined;

/** A struct field of a stored job, when it holds an object. */
export const struct = (value: unknown): JsonObject | undefined =>
  isObject(value) ? value : undefined;

/** A list field of a stored job (null, absent or malformed is empty, as Go's nil slice). */
export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The objects of a list field. */
export const structs = (value: unknown): JsonObject[] => list(value).filter(isObject);

/**
 * The change of one nested struct's primitive fields (and map entries); undefined when nothing
 * changed. Its type follows from its fields': all added, all deleted, or edited.
 */
export function primitiveObjectDiff(
  old: Struct,
  next: Struct,
  name: string,
  contextual: boolean,
  spec?: GoStructSpec,
  filter?: readonly string[],
): ObjectDiff | undefined {
  const fields = fieldDiffs(
    flattenPrimitive(old, spec, filter),
    flattenPrimitive(next, spec, filter),
    contextual,
  );
  let added = false;
  let deleted = false;
  let edited = false;
  for (const field of fields ?? []) {
    if (field.Type === 'Edited') edited = true;
    else if (field.Type === 'Added') added = true;
    else if (field.Type === 'Deleted') deleted = true;
  }
  const type = edited || (added && deleted) ? 'Edited' : added ? 'Added' : deleted ? 'Deleted' : '';
  if (type === '') return undefined;
  return { Type: type, Name: name, Fields: fields, Objects: null };
}

/** A stable text of a JSON value with its keys sorted: the identity of an item in a set. */
export function canonicalKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalKey(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A list diffed as a set: items are matched by `id` (Nomad's `DiffID`, e.g. a constraint's
 * `LTarget Operand RTarget`) or, when it gives "", by their whole value; matched items are
 * diffed field by field, the others are added or deleted.
 */
export function primitiveObjectSetDiff(
  old: readonly JsonObject[],
  next: readonly JsonObject[],
  name: string,
  contextual: boolean,
  options: {
    spec?: GoStructSpec;
    filter?: readonly string[];
    id?: (item: JsonObject) => string;
  } = {},
): ObjectDiff[] {
  const keyOf = (item: JsonObject) => options.id?.(item) || canonicalKey(item);
  const toSet = (items: readonly JsonObject[]) => new Map(items.map((item) => [keyOf(item), item]));
  const oldSet = toSet(old);
  const nextSet = toSet(next);
  const diffs: ObjectDiff[] = [];
  for (const [key, item] of oldSet) {
    const diff = primitiveObjectDiff(
      item,
      nextSet.get(key),
      name,
      contextual,
      options.spec,
      options.filter,
    );
    if (diff) diffs.push(diff);
  }
  for (const [key, item] of nextSet) {
    if (oldSet.has(key)) continue;
    const diff = primitiveObjectDiff(
      undefined,
      item,
      name,
      contextual,
      options.spec,
      options.filter,
    );
    if (diff) diffs.push(diff);
  }
  return sortedObjects(diffs) ?? [];
}

/**
 * A list of strings diffed as a set, one field per member named `name`; undefined when equal
 * (unless contextual) or when both are empty. Its type is `None` when contextual and unchanged.
 */
export function stringSetDiff(
  oldList: unknown,
  nextList: unknown,
  name: string,
  contextual: boolean,
): ObjectDiff | undefined {
  const old = new Set(list(oldList).filter((v): v is string => typeof v === 'string'));
  const next = new Set(list(nextList).filter((v): v is string => typeof v === 'string'));
  const fields: FieldDiff[] = [];
  let added = false;
  let removed = false;
  for (const item of old) {
    if (!next.has(item)) {
      fields.push(fieldDiff(item, '', name, contextual)!);
      removed = true;
    } else if (contextual) {
      fields.push(fieldDiff(item, item, name, contextual)!);
    }
  }
  for (const item of next) {
    if (old.has(item)) continue;
    fields.push(fieldDiff('', item, name, contextual)!);
    added = true;
  }
  if (!added && !removed && (!contextual || fields.length === 0)) return undefined;
  return {
    Type: added && removed ? 'Edited' : added ? 'Added' : removed ? 'Deleted' : 'None',
    Name: name,
    Fields: fields.length === 0 ? null : fields.sort(compareFieldDiffs),
    Objects: null,
  };
}

/** Append the diffs that exist. */
export function pushDiffs(
  into: ObjectDiff[],
  ...diffs: (ObjectDiff | ObjectDiff[] | undefined)[]
): void {
  for (const diff of diffs) {
    if (Array.isArray(diff)) into.push(...diff);
    else if (diff) into.push(diff);
  }
}

/**
 * Deep equality of two JSON values (Go's `reflect.DeepEqual` on the structs they encode); an
 * absent value equals null. Recursion follows the job's nesting, which register bounds.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Array.isArray(x) || Array.isArray(y)) {
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    return x.every((item, i) => deepEqual(item, y[i]));
  }
  const xo = x as JsonObject;
  const yo = y as JsonObject;
  const keys = Object.keys(xo);
  if (keys.length !== Object.keys(yo).length) return false;
  return keys.every((k) => Object.hasOwn(yo, k) && deepEqual(xo[k], yo[k]));
}

/**
 * The frame most of Nomad's struct diffs share: undefined when both sides are deeply equal;
 * else `Added` (no old), `Deleted` (no new) or `Edited`, with the primitive fields compared
 * (contextually when asked). The caller adds nested objects to `Objects`.
 */
export function structDiff(
  old: Struct,
  next: Struct,
  name: string,
  contextual: boolean,
  spec?: GoStructSpec,
  filter?: readonly string[],
): ObjectDiff | undefined {
  if (deepEqual(old, next)) return undefined;
  const type = !old ? 'Added' : !next ? 'Deleted' : 'Edited';
  return {
    Type: type,
    Name: name,
    Fields: fieldDiffs(
      flattenPrimitive(old, spec, filter),
      flattenPrimitive(next, spec, filter),
      contextual,
    ),
    Objects: null,
  };
}

/** Set an object diff's nested objects, sorted (`null` when none). */
export function withObjects(diff: ObjectDiff, objects: ObjectDiff[]): ObjectDiff {
  diff.Objects = sortedObjects(objects);
  return diff;
}

/**
 * A free-form map compared in full (Nomad's `configDiff`, `checkHeaderDiff`, `policyDiff`):
 * keys flattened as `args[0]`, `mounts[0][target]`. Added when the old map is empty, deleted
 * when the new one is.
 */
export function mapDiff(
  old: unknown,
  next: unknown,
  name: string,
  contextual: boolean,
): ObjectDiff | undefined {
  if (deepEqual(old, next)) return undefined;
  const a = struct(old);
  const b = struct(next);
  const empty = (m: JsonObject | undefined) => !m || Object.keys(m).length === 0;
  return {
    Type: empty(a) ? 'Added' : empty(b) ? 'Deleted' : 'Edited',
    Name: name,
    Fields: fieldDiffs(flattenAll(a), flattenAll(b), contextual),
    Objects: null,
  };
}

/**
 * A struct compared with Go's full flatten (pointers followed, nil as `nil`), as Nomad does for
 * a group's `Disconnect`, a template's wait config and a task's secrets.
 */
export function fullStructDiff(
  old: unknown,
  next: unknown,
  name: string,
  contextual: boolean,
): ObjectDiff | undefined {
  if (deepEqual(old, next)) return undefined;
  const a = struct(old);
  const b = struct(next);
  return {
    Type: !a ? 'Added' : !b ? 'Deleted' : 'Edited',
    Name: name,
    Fields: fieldDiffs(flattenAll(a), flattenAll(b), contextual),
    Objects: null,
  };
}
