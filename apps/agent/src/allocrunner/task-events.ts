// Task events and their effect on a task's state, as Nomad's TaskRunner.appendEvent: the latest 10
// events kept, `Restarting` counts a restart, an event that fails the task marks it failed.
import {
  TaskEventSchema,
  TaskStateSchema,
  ZERO_TIME,
  taskEventDisplayMessage,
  type TaskEvent,
  type TaskState,
} from '@berth/contract';
import { nowNs, rfc3339Nano } from './time.js';

/** How many events a task state keeps (Nomad's client: 10). */
export const MAX_TASK_EVENTS = 10;

/** A complete event of `type` with `fields`, its `Time` now and its `DisplayMessage` filled in. */
export function newTaskEvent(type: string, fields: Partial<TaskEvent> = {}): TaskEvent {
  const event = TaskEventSchema.parse({ Type: type, Time: nowNs(), ...fields });
  return { ...event, DisplayMessage: taskEventDisplayMessage(event) };
}

/** A fresh task state: pending, no events. */
export function newTaskState(): TaskState {
  return TaskStateSchema.parse({
    State: 'pending',
    LastRestart: ZERO_TIME,
    StartedAt: ZERO_TIME,
    FinishedAt: ZERO_TIME,
    Events: [],
  });
}

/** The state after `event`: appended (oldest dropped past 10), restart counted, failure kept. */
export function appendTaskEvent(state: TaskState, event: TaskEvent): TaskState {
  const events = [...(state.Events ?? []), event].slice(-MAX_TASK_EVENTS);
  const next: TaskState = { ...state, Events: events };
  if (event.FailsTask) next.Failed = true;
  if (event.Type === 'Restarting') {
    next.Restarts = state.Restarts + 1;
    next.LastRestart = rfc3339Nano(event.Time);
  }
  return next;
}

/** The state moved to `value`: `StartedAt` on entering running, `FinishedAt` once on death. */
export function transitionTaskState(state: TaskState, value: TaskState['State']): TaskState {
  const next: TaskState = { ...state, State: value };
  if (value === 'running' && state.State !== 'running') next.StartedAt = rfc3339Nano(nowNs());
  if (value === 'dead' && isZeroTime(state.FinishedAt)) next.FinishedAt = rfc3339Nano(nowNs());
  return next;
}

function isZeroTime(time: string | null | undefined): boolean {
  return !time || time.startsWith('0001-01-01');
}
