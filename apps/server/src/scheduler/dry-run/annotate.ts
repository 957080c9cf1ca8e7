// Nomad's scheduler.Annotate (scheduler/annotate.go): a job plan's diff annotated with what the
// scheduler decided, so that a person reading `nomad job plan` sees why: per task group the
// number of allocations of each kind of update, `forces create`/`forces destroy` on a count
// change, and per changed task whether it forces a destructive or an in-place update.
import type {
  FieldDiff,
  JobDiff,
  JobPlanAnnotations,
  TaskDiff,
  TaskGroupDiff,
} from '@berth/contract';

/** The keys of a task group diff's `Updates` (Nomad's UpdateType* constants), by DesiredUpdates field. */
const UPDATE_TYPES = [
  ['Ignore', 'ignore'],
  ['Place', 'create'],
  ['Migrate', 'migrate'],
  ['Stop', 'destroy'],
  ['Canary', 'canary'],
  ['InPlaceUpdate', 'in-place update'],
  ['DestructiveUpdate', 'create/destroy update'],
] as const;

export const ANNOTATION_FORCES_CREATE = 'forces create';
export const ANNOTATION_FORCES_DESTROY = 'forces destroy';
export const ANNOTATION_FORCES_INPLACE_UPDATE = 'forces in-place update';
export const ANNOTATION_FORCES_DESTRUCTIVE_UPDATE = 'forces create/destroy update';

/** Task objects whose change an allocation takes in place (LogConfig too, unless Disabled flips). */
const IN_PLACE_OBJECTS = new Set(['Service', 'Constraint', 'Affinity', 'Spread']);

/** Annotates `diff` in place with `annotations` (null: only the count and task annotations). */
export function annotateDiff(diff: JobDiff, annotations: JobPlanAnnotations | null): JobDiff {
  for (const tg of diff.TaskGroups ?? []) annotateTaskGroup(tg, annotations);
  return diff;
}

function annotateTaskGroup(diff: TaskGroupDiff, annotations: JobPlanAnnotations | null): void {
  const desired = annotations?.DesiredTGUpdates?.[diff.Name];
  if (desired !== undefined) {
    const updates = (diff.Updates ??= {});
    for (const [field, key] of UPDATE_TYPES) {
      if (desired[field] !== 0) updates[key] = desired[field];
    }
  }
  const count = diff.Fields?.find((f) => f.Name === 'Count');
  if (count !== undefined) annotateCount(count);
  for (const task of diff.Tasks ?? []) annotateTask(task, diff);
}

function annotateCount(diff: FieldDiff): void {
  const before = diff.Old === '' ? 0 : Number(diff.Old);
  const after = diff.New === '' ? 0 : Number(diff.New);
  if (before < after) (diff.Annotations ??= []).push(ANNOTATION_FORCES_CREATE);
  else if (after < before) (diff.Annotations ??= []).push(ANNOTATION_FORCES_DESTROY);
}

function annotateTask(diff: TaskDiff, parent: TaskGroupDiff): void {
  if (diff.Type === 'None') return;
  const annotations = (diff.Annotations ??= []);
  // A whole group added or removed creates or destroys its tasks.
  if (parent.Type === 'Added' || parent.Type === 'Deleted') {
    if (diff.Type === 'Added') return void annotations.push(ANNOTATION_FORCES_CREATE);
    if (diff.Type === 'Deleted') return void annotations.push(ANNOTATION_FORCES_DESTROY);
  }
  // Every primitive field but KillTimeout needs a new allocation; so does every object but those
  // an allocation takes in place.
  let destructive = (diff.Fields ?? []).some((f) => f.Name !== 'KillTimeout');
  if (!destructive) {
    destructive = (diff.Objects ?? []).some((o) => {
      if (IN_PLACE_OBJECTS.has(o.Name)) return false;
      if (o.Name === 'LogConfig') return (o.Fields ?? []).some((f) => f.Name === 'Disabled');
      return true;
    });
  }
  annotations.push(
    destructive ? ANNOTATION_FORCES_DESTRUCTIVE_UPDATE : ANNOTATION_FORCES_INPLACE_UPDATE,
  );
}
