// Nomad's `Job.Diff`: the job's own fields, its datacenters, constraints, affinities, periodic
// and parameterized configs, and its task groups matched by name.
import type { Job, JobDiff, ObjectDiff } from '@berth/contract';
import { placementDiffs } from './placement.js';
import { changed, fieldDiffs } from './fields.js';
import { flattenPrimitive } from './flatten.js';
import type { JsonObject } from './go-format.js';
import { jobPolicyDiffs } from './job-policies.js';
import { pushDiffs, stringSetDiff, structs } from './objects.js';
import { JOB, JOB_FILTER } from './specs.js';
import { taskGroupDiffs } from './task-group.js';

/**
 * The diff from `old` to `next` (either may be absent: the job was added or deleted).
 * `contextual` adds the unchanged fields of changed objects, as the versions read asks.
 * Both jobs are stored ones, so their sizes and depths are bounded by register's checks.
 */
export function jobDiff(
  old: Job | null | undefined,
  next: Job | null | undefined,
  contextual: boolean,
): JobDiff {
  const diff: JobDiff = { Type: 'None', ID: '', Fields: null, Objects: null, TaskGroups: null };
  if (!old && !next) return diff;
  if (!old) diff.Type = 'Added';
  else if (!next) diff.Type = 'Deleted';
  else if (old.ID !== next.ID) {
    throw new Error(`can not diff jobs with different IDs: "${old.ID}" and "${next.ID}"`);
  }
  diff.ID = (next ?? old)!.ID;
  const a = (old ?? {}) as JsonObject;
  const b = (next ?? {}) as JsonObject;

  diff.Fields = fieldDiffs(
    old ? flattenPrimitive(a, JOB, JOB_FILTER) : undefined,
    next ? flattenPrimitive(b, JOB, JOB_FILTER) : undefined,
    false,
  );
  const objects: ObjectDiff[] = [];
  const datacenters = stringSetDiff(a.Datacenters, b.Datacenters, 'Datacenters', contextual);
  if (datacenters && changed(datacenters)) objects.push(datacenters);
  pushDiffs(objects, placementDiffs(a, b, contextual), ...jobPolicyDiffs(a, b, contextual));
  // Nomad appends the job's objects in a fixed order, unsorted.
  diff.Objects = objects.length === 0 ? null : objects;
  diff.TaskGroups = taskGroupDiffs(structs(a.TaskGroups), structs(b.TaskGroups), contextual);

  if (
    diff.Type === 'None' &&
    [...(diff.Fields ?? []), ...objects, ...(diff.TaskGroups ?? [])].some(changed)
  ) {
    diff.Type = 'Edited';
  }
  return diff;
}
