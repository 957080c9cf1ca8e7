// Nomad's volume diffs: a group's volume requests keyed by their map key (`volumeDiffs`, with
// CSI mount options), and a task's volume mounts matched by position (`volumeMountsDiffs`).
import type { ObjectDiff } from '@berth/contract';
import { matchByIndex } from './by-name.js';
import { sortedObjects } from './fields.js';
import { isObject, type JsonObject } from './go-format.js';
import { deepEqual, stringSetDiff, struct, structDiff, structs } from './objects.js';
import { GO_ZEROS, withZeros } from './specs.js';

const zeroed = (request: unknown) => withZeros(request, GO_ZEROS.VolumeRequest);

function mountOptionsDiff(
  old: JsonObject | undefined,
  next: JsonObject | undefined,
  contextual: boolean,
) {
  const diff = structDiff(old, next, 'MountOptions', contextual);
  if (!diff) return undefined;
  const flags = stringSetDiff(old?.MountFlags, next?.MountFlags, 'MountFlags', contextual);
  if (flags) diff.Objects = [flags];
  return diff;
}

function volumeDiff(
  old: JsonObject | undefined,
  next: JsonObject | undefined,
  contextual: boolean,
) {
  const diff = structDiff(old, next, 'Volume', contextual);
  if (!diff) return undefined;
  const options = mountOptionsDiff(
    struct(old?.MountOptions),
    struct(next?.MountOptions),
    contextual,
  );
  if (options) diff.Objects = [options];
  return diff;
}

/** A group's `Volumes` map; Nomad leaves these diffs unsorted (map order), berth sorts them. */
export function volumeDiffs(old: unknown, next: unknown, contextual: boolean): ObjectDiff[] {
  if (deepEqual(old, next)) return [];
  const a = isObject(old) ? old : {};
  const b = isObject(next) ? next : {};
  const diffs: ObjectDiff[] = [];
  for (const [name, request] of Object.entries(a)) {
    const d = volumeDiff(zeroed(request), zeroed(b[name]), contextual);
    if (d) diffs.push(d);
  }
  for (const [name, request] of Object.entries(b)) {
    if (Object.hasOwn(a, name)) continue;
    const d = volumeDiff(undefined, zeroed(request), contextual);
    if (d) diffs.push(d);
  }
  return sortedObjects(diffs) ?? [];
}

/** A task's `VolumeMounts`, matched by position. */
export function volumeMountDiffs(old: unknown, next: unknown, contextual: boolean): ObjectDiff[] {
  return (
    sortedObjects(
      matchByIndex(structs(old), structs(next), (a, b) =>
        structDiff(
          withZeros(a, GO_ZEROS.VolumeMount),
          withZeros(b, GO_ZEROS.VolumeMount),
          'VolumeMount',
          contextual,
        ),
      ),
    ) ?? []
  );
}
