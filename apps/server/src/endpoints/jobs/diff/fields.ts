// Nomad's `fieldDiff` / `fieldDiffs` and the order of diffs (`FieldDiff.Less`,
// `ObjectDiff.Less`, `DiffType.Less`): fields by name, then old, then new value; objects by
// name, then type (Edited, Added, Deleted, None), then how much they hold.
import type { DiffType, FieldDiff, ObjectDiff } from '@berth/contract';
import { compareGoStrings } from './go-format.js';

/**
 * One field's change; undefined when unchanged, unless `contextual` (then a `None` diff that
 * carries the value on both sides).
 */
export function fieldDiff(
  old: string,
  next: string,
  name: string,
  contextual: boolean,
): FieldDiff | undefined {
  if (old === next) {
    if (!contextual) return undefined;
    return { Type: 'None', Name: name, Old: old, New: next, Annotations: null };
  }
  // Go cannot tell an empty string from an absent one: "" to "x" is an addition.
  const type: DiffType = old === '' ? 'Added' : next === '' ? 'Deleted' : 'Edited';
  return { Type: type, Name: name, Old: old, New: next, Annotations: null };
}

/** The changes between two flattened structs, sorted; `null` (Go's nil) when there are none. */
export function fieldDiffs(
  old: ReadonlyMap<string, string> | undefined,
  next: ReadonlyMap<string, string> | undefined,
  contextual: boolean,
): FieldDiff[] | null {
  const diffs: FieldDiff[] = [];
  for (const [name, oldValue] of old ?? []) {
    const diff = fieldDiff(oldValue, next?.get(name) ?? '', name, contextual);
    if (diff) diffs.push(diff);
  }
  for (const [name, nextValue] of next ?? []) {
    if (old?.has(name)) continue;
    const diff = fieldDiff('', nextValue, name, contextual);
    if (diff) diffs.push(diff);
  }
  return diffs.length === 0 ? null : diffs.sort(compareFieldDiffs);
}

const typeRank: Record<DiffType, number> = { Edited: 0, Added: 1, Deleted: 2, None: 3 };

/** Nomad's order of field diffs. */
export function compareFieldDiffs(a: FieldDiff, b: FieldDiff): number {
  return (
    compareGoStrings(a.Name, b.Name) ||
    compareGoStrings(a.Old, b.Old) ||
    compareGoStrings(a.New, b.New)
  );
}

/** Nomad's order of object diffs (its `Less`, made a total order). */
function compareObjectDiffs(a: ObjectDiff, b: ObjectDiff): number {
  const byName = compareGoStrings(a.Name, b.Name);
  if (byName !== 0) return byName;
  if (a.Type !== b.Type) return typeRank[a.Type] - typeRank[b.Type];
  const aFields = a.Fields ?? [];
  const bFields = b.Fields ?? [];
  if (aFields.length !== bFields.length) return aFields.length - bFields.length;
  const aObjects = a.Objects ?? [];
  const bObjects = b.Objects ?? [];
  if (aObjects.length !== bObjects.length) return aObjects.length - bObjects.length;
  for (let i = 0; i < aFields.length; i++) {
    const c = compareFieldDiffs(aFields[i]!, bFields[i]!);
    if (c !== 0) return c;
  }
  for (let i = 0; i < aObjects.length; i++) {
    const c = compareObjectDiffs(aObjects[i]!, bObjects[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

/** Sorted object diffs, `null` when there are none (Go's nil slice). */
export const sortedObjects = (diffs: ObjectDiff[]): ObjectDiff[] | null =>
  diffs.length === 0 ? null : diffs.sort(compareObjectDiffs);

/** Whether a diff changed anything. */
export const changed = (diff: { Type: DiffType }): boolean => diff.Type !== 'None';
