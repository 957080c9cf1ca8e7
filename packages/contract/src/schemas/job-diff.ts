// The difference between two versions of a job (Nomad's `structs.JobDiff` and its parts, as the
// `api` package decodes them): sent by `GET /v1/job/:id/versions?diffs=true` and by a job plan.
import { z } from 'zod';
import { goMap, goSlice, goString } from './wire.js';

/** How a part changed between the old and the new job. */
export const DiffType = {
  None: 'None',
  Added: 'Added',
  Deleted: 'Deleted',
  Edited: 'Edited',
} as const;

/** One of {@link DiffType}'s values. */
export const DiffTypeSchema = z.enum(['None', 'Added', 'Deleted', 'Edited']);

/** One of {@link DiffType}'s values. */
export type DiffType = z.infer<typeof DiffTypeSchema>;

const FieldDiffShape = {
  Type: DiffTypeSchema,
  /** The field's name: `Priority`, a map entry `Meta[team]`, a driver config key `args[0]`. */
  Name: goString(),
  /** The old value as Go prints it (`""` when there was none). */
  Old: goString(),
  /** The new value as Go prints it (`""` when there is none). */
  New: goString(),
  /** Plan annotations such as `forces create/destroy update`; `null` when none. */
  Annotations: goSlice(z.string()),
};

/** The zod type of {@link FieldDiffSchema} (named, so declaration files stay small). */
export interface FieldDiffSchemaType extends z.ZodObject<typeof FieldDiffShape> {}

/** A change of one primitive field (Nomad's `FieldDiff`). */
export const FieldDiffSchema: FieldDiffSchemaType = z.object(FieldDiffShape);

/** A {@link FieldDiffSchema} as sent on the wire. */
export type FieldDiff = z.infer<typeof FieldDiffSchema>;

/** A change of a nested object (Nomad's `ObjectDiff`): its fields and its own nested objects. */
export interface ObjectDiff {
  Type: DiffType;
  Name: string;
  Fields: FieldDiff[] | null;
  Objects: ObjectDiff[] | null;
}

/** The wire input of an {@link ObjectDiff} (fields may be absent, as Go omits nothing here). */
export interface ObjectDiffInput {
  Type: DiffType;
  Name?: string | undefined;
  Fields?: z.input<typeof FieldDiffSchema>[] | null | undefined;
  Objects?: ObjectDiffInput[] | null | undefined;
}

/** A change of a nested object (Nomad's `ObjectDiff`); recursive. */
export const ObjectDiffSchema: z.ZodType<ObjectDiff, z.ZodTypeDef, ObjectDiffInput> = z.lazy(() =>
  z.object({
    Type: DiffTypeSchema,
    Name: goString(),
    Fields: goSlice(FieldDiffSchema),
    Objects: goSlice(ObjectDiffSchema),
  }),
);

const TaskDiffShape = {
  Type: DiffTypeSchema,
  /** The task's name. */
  Name: goString(),
  Fields: goSlice(FieldDiffSchema),
  Objects: goSlice(ObjectDiffSchema),
  /** Plan annotations such as `forces in-place update`; `null` when none. */
  Annotations: goSlice(z.string()),
};

/** The zod type of {@link TaskDiffSchema} (named, so declaration files stay small). */
export interface TaskDiffSchemaType extends z.ZodObject<typeof TaskDiffShape> {}

/** The changes of one task (Nomad's `TaskDiff`). */
export const TaskDiffSchema: TaskDiffSchemaType = z.object(TaskDiffShape);

/** A {@link TaskDiffSchema} as sent on the wire. */
export type TaskDiff = z.infer<typeof TaskDiffSchema>;

const TaskGroupDiffShape = {
  Type: DiffTypeSchema,
  /** The group's name. */
  Name: goString(),
  Fields: goSlice(FieldDiffSchema),
  Objects: goSlice(ObjectDiffSchema),
  Tasks: goSlice(TaskDiffSchema),
  /**
   * How many allocations of the group a plan would place, stop, update... keyed by the kind of
   * update (`create`, `destroy`, `in-place update`, ...); `null` outside a plan.
   */
  Updates: goMap(z.number()),
};

/** The zod type of {@link TaskGroupDiffSchema} (named, so declaration files stay small). */
export interface TaskGroupDiffSchemaType extends z.ZodObject<typeof TaskGroupDiffShape> {}

/** The changes of one task group (Nomad's `TaskGroupDiff`). */
export const TaskGroupDiffSchema: TaskGroupDiffSchemaType = z.object(TaskGroupDiffShape);

/** A {@link TaskGroupDiffSchema} as sent on the wire. */
export type TaskGroupDiff = z.infer<typeof TaskGroupDiffSchema>;

const JobDiffShape = {
  Type: DiffTypeSchema,
  /** The job's ID. */
  ID: goString(),
  Fields: goSlice(FieldDiffSchema),
  Objects: goSlice(ObjectDiffSchema),
  TaskGroups: goSlice(TaskGroupDiffSchema),
};

/** The zod type of {@link JobDiffSchema} (named, so declaration files stay small). */
export interface JobDiffSchemaType extends z.ZodObject<typeof JobDiffShape> {}

/** The changes between two versions of a job (Nomad's `JobDiff`). */
export const JobDiffSchema: JobDiffSchemaType = z.object(JobDiffShape);

/** A {@link JobDiffSchema} as sent on the wire. */
export type JobDiff = z.infer<typeof JobDiffSchema>;
