// Nomad's TaskState (nomad/structs/structs.go): the state of one task of an allocation.
import { z } from 'zod';
import { goBoolField, goInt, goSlice, goString, goTime } from './wire.js';
import { TaskEventSchema } from './task-event.js';

/** The values of `TaskState.State`. */
export const TaskStateValue = {
  Pending: 'pending',
  Running: 'running',
  Dead: 'dead',
} as const;

/** Schema of one {@link TaskStateValue}. */
export const TaskStateValueSchema = z.nativeEnum(TaskStateValue);

/** One of the {@link TaskStateValue} strings. */
export type TaskStateValue = z.infer<typeof TaskStateValueSchema>;

/** The RFC 3339 text berth sends for a time that was never set (Nomad sends `null`). */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

const TaskStateShape = {
  State: TaskStateValueSchema,
  Failed: goBoolField(),
  Restarts: goInt(),
  LastRestart: goTime(),
  StartedAt: goTime(),
  FinishedAt: goTime(),
  Events: goSlice(TaskEventSchema),
  Paused: goString(),
};

/** The zod type of {@link TaskStateSchema} (named, so declaration files stay small). */
export interface TaskStateSchemaType extends z.ZodObject<typeof TaskStateShape> {}

/**
 * A task's state. `LastRestart`, `StartedAt` and `FinishedAt` are RFC 3339 strings; a time never
 * set is `"0001-01-01T00:00:00Z"` from berth and `null` from recent Nomad releases, and both parse.
 * `Events` holds the latest 10 events, oldest first.
 */
export const TaskStateSchema: TaskStateSchemaType = z.object(TaskStateShape);

/** A task's state as sent on the wire. */
export type TaskState = z.infer<typeof TaskStateSchema>;
