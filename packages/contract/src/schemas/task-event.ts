// Nomad's TaskEvent (nomad/structs/structs.go): one entry of a task's event history.
import { z } from 'zod';
import { goBoolField, goInt, goMap, goString } from './wire.js';

/**
 * The `Type` strings of task events, as Nomad's client emits them. The wire field is a plain
 * string: unknown types are legal and display their `Message`.
 */
export const TaskEventType = {
  SetupFailure: 'Setup Failure',
  DriverFailure: 'Driver Failure',
  Received: 'Received',
  FailedValidation: 'Failed Validation',
  Started: 'Started',
  Pausing: 'Pausing',
  Terminated: 'Terminated',
  Killing: 'Killing',
  Killed: 'Killed',
  Restarting: 'Restarting',
  NotRestarting: 'Not Restarting',
  RestartSignal: 'Restart Signaled',
  Signaling: 'Signaling',
  DownloadingArtifacts: 'Downloading Artifacts',
  ArtifactDownloadFailed: 'Failed Artifact Download',
  BuildingTaskDir: 'Building Task Directory',
  TaskSetup: 'Task Setup',
  DiskExceeded: 'Disk Resources Exceeded',
  SiblingFailed: 'Sibling Task Failed',
  DriverMessage: 'Driver',
  LeaderDead: 'Leader Task Dead',
  MainDead: 'Main Tasks Dead',
  HookFailed: 'Task hook failed',
  HookMessage: 'Task hook message',
  RestoreFailed: 'Failed Restoring Task',
  PluginUnhealthy: 'Plugin became unhealthy',
  PluginHealthy: 'Plugin became healthy',
  ClientReconnected: 'Reconnected',
  WaitingShuttingDownDelay: 'Waiting for shutdown delay',
  SkippingShutdownDelay: 'Skipping shutdown delay',
  Running: 'Running',
} as const;

/** One of the known {@link TaskEventType} strings. */
export type TaskEventTypeName = (typeof TaskEventType)[keyof typeof TaskEventType];

const TaskEventShape = {
  Type: z.string(),
  Time: goInt(),
  Message: goString(),
  DisplayMessage: goString(),
  Details: goMap(z.string()),
  FailsTask: goBoolField(),
  RestartReason: goString(),
  SetupError: goString(),
  DriverError: goString(),
  ExitCode: goInt(),
  Signal: goInt(),
  KillTimeout: goInt(),
  KillError: goString(),
  KillReason: goString(),
  StartDelay: goInt(),
  DownloadError: goString(),
  ValidationError: goString(),
  DiskLimit: goInt(),
  FailedSibling: goString(),
  VaultError: goString(),
  TaskSignalReason: goString(),
  TaskSignal: goString(),
  DriverMessage: goString(),
  GenericSource: goString(),
};

/** The zod type of {@link TaskEventSchema} (named, so declaration files stay small). */
export interface TaskEventSchemaType extends z.ZodObject<typeof TaskEventShape> {}

/**
 * A task event: all 24 keys are always present on the wire (Nomad's TaskEvent has no omitempty).
 * `Time`, `KillTimeout` and `StartDelay` are nanoseconds. The fields after `Details` are
 * deprecated in Nomad (their content moved to `Details`) but still sent.
 */
export const TaskEventSchema: TaskEventSchemaType = z.object(TaskEventShape);

/** A task event as sent on the wire. */
export type TaskEvent = z.infer<typeof TaskEventSchema>;
