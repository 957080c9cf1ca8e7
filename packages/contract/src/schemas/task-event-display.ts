// The human-readable `DisplayMessage` of a task event, as Nomad's
// TaskEvent.PopulateEventDisplayMessage computes it before answering List and Read.
import { formatGoDuration } from '../go/duration.js';
import { goQuote } from '../go/quote.js';
import { TaskEventType, type TaskEvent } from './task-event.js';

/** The restart reason that is not worth showing ("Task restarting in 5s" says it all). */
export const RESTART_REASON_WITHIN_POLICY = 'Restart within policy';

/** The fields {@link taskEventDisplayMessage} reads; any task event has them. */
type DisplayFields = Pick<
  TaskEvent,
  | 'Type'
  | 'Message'
  | 'DisplayMessage'
  | 'ValidationError'
  | 'SetupError'
  | 'DriverError'
  | 'DownloadError'
  | 'KillReason'
  | 'KillTimeout'
  | 'KillError'
  | 'ExitCode'
  | 'Signal'
  | 'StartDelay'
  | 'RestartReason'
  | 'FailedSibling'
  | 'TaskSignal'
  | 'TaskSignalReason'
  | 'DriverMessage'
>;

/**
 * The event's display message: its own `DisplayMessage` when set, else the text Nomad derives from
 * its type and deprecated fields (durations in Go's format, e.g. `Task restarting in 5s`).
 */
export function taskEventDisplayMessage(event: DisplayFields): string {
  if (event.DisplayMessage !== '') return event.DisplayMessage;
  const e = event;
  switch (e.Type) {
    case TaskEventType.TaskSetup:
      return e.Message;
    case TaskEventType.Started:
      return 'Task started by client';
    case TaskEventType.Received:
      return 'Task received by client';
    case TaskEventType.FailedValidation:
      return e.ValidationError || 'Validation of task failed';
    case TaskEventType.SetupFailure:
      return e.SetupError || 'Task setup failed';
    case TaskEventType.DriverFailure:
      return e.DriverError || 'Failed to start task';
    case TaskEventType.DownloadingArtifacts:
      return 'Client is downloading artifacts';
    case TaskEventType.ArtifactDownloadFailed:
      return e.DownloadError || 'Failed to download artifacts';
    case TaskEventType.Killing:
      if (e.KillReason !== '') return e.KillReason;
      if (e.KillTimeout !== 0) {
        return `Sent interrupt. Waiting ${formatGoDuration(e.KillTimeout)} before force killing`;
      }
      return 'Sent interrupt';
    case TaskEventType.Killed:
      return e.KillError || 'Task successfully killed';
    case TaskEventType.Terminated: {
      const parts = [`Exit Code: ${e.ExitCode}`];
      if (e.Signal !== 0) parts.push(`Signal: ${e.Signal}`);
      if (e.Message !== '') parts.push(`Exit Message: ${goQuote(e.Message)}`);
      return parts.join(', ');
    }
    case TaskEventType.Restarting: {
      const inText = `Task restarting in ${formatGoDuration(e.StartDelay)}`;
      return e.RestartReason !== '' && e.RestartReason !== RESTART_REASON_WITHIN_POLICY
        ? `${e.RestartReason} - ${inText}`
        : inText;
    }
    case TaskEventType.NotRestarting:
      return e.RestartReason || 'Task exceeded restart policy';
    case TaskEventType.SiblingFailed:
      return e.FailedSibling !== ''
        ? `Task's sibling ${goQuote(e.FailedSibling)} failed`
        : "Task's sibling failed";
    case TaskEventType.Signaling: {
      const sig = e.TaskSignal;
      const reason = e.TaskSignalReason;
      if (sig === '' && reason === '') return 'Task being sent a signal';
      if (sig === '') return reason;
      if (reason === '') return `Task being sent signal ${sig}`;
      return `Task being sent signal ${sig}: ${reason}`;
    }
    case TaskEventType.RestartSignal:
      return e.RestartReason || 'Task signaled to restart';
    case TaskEventType.DriverMessage:
      return e.DriverMessage;
    case TaskEventType.LeaderDead:
      return 'Leader Task in Group dead';
    case TaskEventType.MainDead:
      return 'Main tasks in the group died';
    case TaskEventType.ClientReconnected:
      return 'Client reconnected';
    default:
      return e.Message;
  }
}

/** A copy of the event with `DisplayMessage` filled in (List and Read do this to every event). */
export function withDisplayMessage<T extends DisplayFields>(event: T): T {
  return event.DisplayMessage !== ''
    ? event
    : { ...event, DisplayMessage: taskEventDisplayMessage(event) };
}
