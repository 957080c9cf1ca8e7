// Nomad's `Task.Diff` and `taskDiffs`: tasks matched by name, each with its own fields, driver
// config, resources, artifacts, services, templates, identities and more.
import type { ObjectDiff, TaskDiff } from '@berth/contract';
import { matchByIndex, matchByKey } from './by-name.js';
import { fieldDiffs, sortedObjects } from './fields.js';
import { flattenPrimitive } from './flatten.js';
import { compareGoStrings, type JsonObject } from './go-format.js';
import { artifactId } from './ids.js';
import { placementDiffs } from './placement.js';
import { identityDiff, identityDiffs } from './identity.js';
import {
  deepEqual,
  fullStructDiff,
  mapDiff,
  primitiveObjectDiff,
  primitiveObjectSetDiff,
  pushDiffs,
  stringSetDiff,
  struct,
  structDiff,
  structs,
} from './objects.js';
import { resourcesDiff } from './resources.js';
import { serviceDiffs } from './services.js';
import { GO_ZEROS, TASK, withZeros } from './specs.js';
import { templateDiffs } from './templates.js';
import { volumeMountDiffs } from './volumes.js';

const ARTIFACT = { maps: ['GetterOptions', 'GetterHeaders'] };
const artifacts = (v: unknown) => structs(v).map((a) => withZeros(a, GO_ZEROS.TaskArtifact)!);

/** A task's secrets, matched by name and compared in full (their config is free-form). */
function secretDiffs(old: unknown, next: unknown, contextual: boolean): ObjectDiff[] {
  return (
    sortedObjects(
      matchByKey(structs(old), structs(next), 'Name', (a, b) =>
        fullStructDiff(a, b, 'Secret', contextual),
      ),
    ) ?? []
  );
}

/** A task's actions, matched by position, each with its arguments as a set. */
function actionDiffs(old: unknown, next: unknown, contextual: boolean): ObjectDiff[] {
  return (
    sortedObjects(
      matchByIndex(structs(old), structs(next), (a, b) => {
        const diff = structDiff(a, b, 'Action', contextual);
        if (!diff) return undefined;
        const args = stringSetDiff(a?.Args, b?.Args, 'Args', contextual);
        if (args) diff.Objects = [args];
        return diff;
      }),
    ) ?? []
  );
}

/** A task's schedule: only its cron block is compared. */
function scheduleDiff(old: unknown, next: unknown, contextual: boolean): ObjectDiff | undefined {
  if (deepEqual(old, next)) return undefined;
  return primitiveObjectDiff(
    struct(struct(old)?.Cron),
    struct(struct(next)?.Cron),
    'Schedule',
    contextual,
  );
}

/** One task's diff (either side may be absent). */
export function taskDiff(
  old: JsonObject | undefined,
  next: JsonObject | undefined,
  contextual: boolean,
): TaskDiff {
  const diff: TaskDiff = { Type: 'None', Name: '', Fields: null, Objects: null, Annotations: null };
  if (!old && !next) return diff;
  if (!old) diff.Type = 'Added';
  else if (!next) diff.Type = 'Deleted';
  else if (!deepEqual(old, next)) diff.Type = 'Edited';
  diff.Name = typeof (next ?? old)?.Name === 'string' ? ((next ?? old)!.Name as string) : '';
  diff.Fields = fieldDiffs(
    flattenPrimitive(old, TASK, ['Name']),
    flattenPrimitive(next, TASK, ['Name']),
    false,
  );

  const a = old ?? {};
  const b = next ?? {};
  const objects: ObjectDiff[] = [];
  pushDiffs(
    objects,
    placementDiffs(a, b, contextual),
    mapDiff(a.Config, b.Config, 'Config', contextual),
    resourcesDiff(struct(a.Resources), struct(b.Resources), contextual),
    primitiveObjectDiff(struct(a.LogConfig), struct(b.LogConfig), 'LogConfig', contextual),
    primitiveObjectDiff(
      struct(a.DispatchPayload),
      struct(b.DispatchPayload),
      'DispatchPayload',
      contextual,
    ),
    primitiveObjectSetDiff(artifacts(a.Artifacts), artifacts(b.Artifacts), 'Artifact', contextual, {
      spec: ARTIFACT,
      id: artifactId,
    }),
    serviceDiffs(a.Services, b.Services, contextual),
    structDiff(struct(a.Vault), struct(b.Vault), 'Vault', contextual),
    secretDiffs(a.Secrets, b.Secrets, contextual),
    primitiveObjectDiff(struct(a.Consul), struct(b.Consul), 'Consul', contextual),
    templateDiffs(a.Templates, b.Templates, contextual),
    identityDiff(struct(a.Identity), struct(b.Identity), contextual),
    identityDiffs(a.Identities, b.Identities, contextual),
    actionDiffs(a.Actions, b.Actions, contextual),
    volumeMountDiffs(a.VolumeMounts, b.VolumeMounts, contextual),
    scheduleDiff(a.Schedule, b.Schedule, contextual),
  );
  // Nomad appends the task's objects in this order, unsorted.
  diff.Objects = objects.length === 0 ? null : objects;
  return diff;
}

/** Tasks matched by name, sorted by name; `null` when neither group has any. */
export function taskDiffs(old: unknown, next: unknown, contextual: boolean): TaskDiff[] | null {
  const diffs = matchByKey(structs(old), structs(next), 'Name', (a, b) =>
    taskDiff(a, b, contextual),
  );
  return diffs.length === 0 ? null : diffs.sort((x, y) => compareGoStrings(x.Name, y.Name));
}
