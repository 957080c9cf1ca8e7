// Nomad's `Resources.Diff`: a task's resources with its networks, devices (by name) and NUMA.
import type { ObjectDiff } from '@berth/contract';
import { matchByKey } from './by-name.js';
import { sortedObjects } from './fields.js';
import type { JsonObject } from './go-format.js';
import { networkDiffs } from './network.js';
import { pushDiffs, struct, structDiff, structs } from './objects.js';

/** A task's resources; undefined when equal. */
export function resourcesDiff(
  old: JsonObject | undefined,
  next: JsonObject | undefined,
  contextual: boolean,
): ObjectDiff | undefined {
  const diff = structDiff(old, next, 'Resources', contextual);
  if (!diff) return undefined;
  const objects: ObjectDiff[] = [];
  pushDiffs(
    objects,
    networkDiffs(old?.Networks, next?.Networks, contextual),
    sortedObjects(
      matchByKey(structs(old?.Devices), structs(next?.Devices), 'Name', (a, b) =>
        structDiff(a, b, 'Device', contextual),
      ),
    ) ?? [],
    structDiff(struct(old?.NUMA), struct(next?.NUMA), 'NUMA', contextual),
  );
  diff.Objects = objects.length === 0 ? null : objects;
  return diff;
}
