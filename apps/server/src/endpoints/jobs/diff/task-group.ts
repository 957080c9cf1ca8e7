// Nomad's `TaskGroup.Diff` and `taskGroupDiffs`: groups matched by name, each with its own
// fields, policies, networks, services, volumes and tasks.
import type { ObjectDiff, TaskGroupDiff } from '@berth/contract';
import { matchByKey } from './by-name.js';
import { fieldDiffs } from './fields.js';
import { compareGoStrings } from './go-format.js';
import { flattenPrimitive } from './flatten.js';
import type { JsonObject } from './go-format.js';
import { placementDiffs } from './placement.js';
import { networkDiffs } from './network.js';
import { deepEqual, fullStructDiff, primitiveObjectDiff, pushDiffs, struct } from './objects.js';
import { scalingDiff } from './scaling.js';
import { serviceDiffs } from './services.js';
import { GO_ZEROS, TASK_GROUP, withZeros } from './specs.js';
import { taskDiffs } from './task.js';
import { volumeDiffs } from './volumes.js';

/** A group's `ShutdownDelay` (a Go pointer) as Nomad adds it by hand: nanoseconds, or "". */
const shutdownDelay = (group: JsonObject): string =>
  typeof group.ShutdownDelay === 'number' ? String(group.ShutdownDelay) : '';

/** One group's diff (either side may be absent). */
export function taskGroupDiff(
  old: JsonObject | undefined,
  next: JsonObject | undefined,
  contextual: boolean,
): TaskGroupDiff {
  const diff: TaskGroupDiff = {
    Type: 'None',
    Name: '',
    Fields: null,
    Objects: null,
    Tasks: null,
    Updates: null,
  };
  if (!old && !next) return diff;
  if (!old) diff.Type = 'Added';
  else if (!next) diff.Type = 'Deleted';
  else if (!deepEqual(old, next)) diff.Type = 'Edited';
  diff.Name = typeof (next ?? old)?.Name === 'string' ? ((next ?? old)!.Name as string) : '';

  const oldFlat = flattenPrimitive(old, TASK_GROUP, ['Name']);
  const nextFlat = flattenPrimitive(next, TASK_GROUP, ['Name']);
  if (oldFlat && nextFlat && old && next) {
    // Only compared when the group is on both sides (a Go pointer the flatten skips).
    oldFlat.set('ShutdownDelay', shutdownDelay(old));
    nextFlat.set('ShutdownDelay', shutdownDelay(next));
  }
  diff.Fields = fieldDiffs(oldFlat, nextFlat, false);

  const a = old ?? {};
  const b = next ?? {};
  const objects: ObjectDiff[] = [];
  pushDiffs(
    objects,
    placementDiffs(a, b, contextual),
    primitiveObjectDiff(
      struct(a.RestartPolicy),
      struct(b.RestartPolicy),
      'RestartPolicy',
      contextual,
    ),
    primitiveObjectDiff(struct(a.Migrate), struct(b.Migrate), 'Migrate', contextual),
    primitiveObjectDiff(
      struct(a.ReschedulePolicy),
      struct(b.ReschedulePolicy),
      'ReschedulePolicy',
      contextual,
    ),
    primitiveObjectDiff(
      struct(a.EphemeralDisk),
      struct(b.EphemeralDisk),
      'EphemeralDisk',
      contextual,
    ),
    primitiveObjectDiff(struct(a.Consul), struct(b.Consul), 'Consul', contextual),
    // `Stagger` is a leftover of old update blocks.
    primitiveObjectDiff(struct(a.Update), struct(b.Update), 'Update', contextual, undefined, [
      'Stagger',
    ]),
    fullStructDiff(
      withZeros(a.Disconnect, GO_ZEROS.DisconnectStrategy),
      withZeros(b.Disconnect, GO_ZEROS.DisconnectStrategy),
      'Disconnect',
      contextual,
    ),
    networkDiffs(a.Networks, b.Networks, contextual),
    scalingDiff(a.Scaling, b.Scaling, contextual),
    serviceDiffs(a.Services, b.Services, contextual),
    volumeDiffs(a.Volumes, b.Volumes, contextual),
  );
  // Nomad appends the group's objects in this order, unsorted.
  diff.Objects = objects.length === 0 ? null : objects;
  diff.Tasks = taskDiffs(a.Tasks, b.Tasks, contextual);
  return diff;
}

/** Groups matched by name, sorted by name; `null` when neither job has any. */
export function taskGroupDiffs(
  old: readonly JsonObject[],
  next: readonly JsonObject[],
  contextual: boolean,
): TaskGroupDiff[] | null {
  const diffs = matchByKey(old, next, 'Name', (a, b) => taskGroupDiff(a, b, contextual));
  return diffs.length === 0 ? null : diffs.sort((x, y) => compareGoStrings(x.Name, y.Name));
}
