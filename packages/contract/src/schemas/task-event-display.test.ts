import { describe, expect, test } from 'vitest';
import { TaskEventSchema, TaskEventType, type TaskEvent } from './task-event.js';
import { taskEventDisplayMessage, withDisplayMessage } from './task-event-display.js';

const ev = (fields: Partial<TaskEvent> & { Type: string }): TaskEvent =>
  TaskEventSchema.parse(fields);
const msg = (fields: Partial<TaskEvent> & { Type: string }) => taskEventDisplayMessage(ev(fields));

describe('taskEventDisplayMessage', () => {
  test('an existing DisplayMessage is kept', () => {
    expect(msg({ Type: 'Started', DisplayMessage: 'custom' })).toBe('custom');
  });

  test.each([
    [{ Type: 'Task Setup', Message: 'Building Task Directory' }, 'Building Task Directory'],
    [{ Type: 'Started' }, 'Task started by client'],
    [{ Type: 'Received' }, 'Task received by client'],
    [{ Type: 'Failed Validation' }, 'Validation of task failed'],
    [{ Type: 'Failed Validation', ValidationError: 'bad' }, 'bad'],
    [{ Type: 'Setup Failure' }, 'Task setup failed'],
    [{ Type: 'Setup Failure', SetupError: 'no dir' }, 'no dir'],
    [{ Type: 'Driver Failure' }, 'Failed to start task'],
    [{ Type: 'Driver Failure', DriverError: 'exec failed' }, 'exec failed'],
    [{ Type: 'Downloading Artifacts' }, 'Client is downloading artifacts'],
    [{ Type: 'Failed Artifact Download' }, 'Failed to download artifacts'],
    [{ Type: 'Failed Artifact Download', DownloadError: '404' }, '404'],
    [{ Type: 'Killing' }, 'Sent interrupt'],
    [{ Type: 'Killing', KillTimeout: 5e9 }, 'Sent interrupt. Waiting 5s before force killing'],
    [{ Type: 'Killing', KillTimeout: 90e9 }, 'Sent interrupt. Waiting 1m30s before force killing'],
    [{ Type: 'Killing', KillTimeout: 5e9, KillReason: 'bye' }, 'bye'],
    [{ Type: 'Killed' }, 'Task successfully killed'],
    [{ Type: 'Killed', KillError: 'EPERM' }, 'EPERM'],
    [{ Type: 'Terminated' }, 'Exit Code: 0'],
    [{ Type: 'Terminated', ExitCode: 137, Signal: 9 }, 'Exit Code: 137, Signal: 9'],
    [
      { Type: 'Terminated', ExitCode: 1, Message: 'oom "killed"' },
      'Exit Code: 1, Exit Message: "oom \\"killed\\""',
    ],
    [{ Type: 'Restarting', StartDelay: 15e9 }, 'Task restarting in 15s'],
    [
      { Type: 'Restarting', StartDelay: 1.5e9, RestartReason: 'Restart within policy' },
      'Task restarting in 1.5s',
    ],
    [
      {
        Type: 'Restarting',
        StartDelay: 0,
        RestartReason: 'User requested running tasks to restart',
      },
      'User requested running tasks to restart - Task restarting in 0s',
    ],
    [{ Type: 'Not Restarting' }, 'Task exceeded restart policy'],
    [
      { Type: 'Not Restarting', RestartReason: 'Exceeded allowed attempts' },
      'Exceeded allowed attempts',
    ],
    [{ Type: 'Sibling Task Failed' }, "Task's sibling failed"],
    [{ Type: 'Sibling Task Failed', FailedSibling: 'web' }, 'Task\'s sibling "web" failed'],
    [{ Type: 'Signaling' }, 'Task being sent a signal'],
    [{ Type: 'Signaling', TaskSignalReason: 'because' }, 'because'],
    [{ Type: 'Signaling', TaskSignal: 'SIGHUP' }, 'Task being sent signal SIGHUP'],
    [
      { Type: 'Signaling', TaskSignal: 'SIGHUP', TaskSignalReason: 'reload' },
      'Task being sent signal SIGHUP: reload',
    ],
    [{ Type: 'Restart Signaled' }, 'Task signaled to restart'],
    [
      { Type: 'Restart Signaled', RestartReason: 'User requested task to restart' },
      'User requested task to restart',
    ],
    [
      { Type: 'Driver', DriverMessage: 'Downloading image redis:3.2' },
      'Downloading image redis:3.2',
    ],
    [{ Type: 'Leader Task Dead' }, 'Leader Task in Group dead'],
    [{ Type: 'Main Tasks Dead' }, 'Main tasks in the group died'],
    [{ Type: 'Reconnected' }, 'Client reconnected'],
    [{ Type: 'Task hook failed', Message: 'hook x failed' }, 'hook x failed'],
    [{ Type: 'Something New', Message: 'hello' }, 'hello'],
  ])('%j → %s', (fields, expected) => expect(msg(fields)).toBe(expected));

  test('every known type has a constant', () => {
    expect(Object.values(TaskEventType)).toHaveLength(31);
    expect(TaskEventType.Started).toBe('Started');
    expect(TaskEventType.RestartSignal).toBe('Restart Signaled');
  });

  test('withDisplayMessage fills only empty ones and copies', () => {
    const e = ev({ Type: 'Started' });
    const filled = withDisplayMessage(e);
    expect(filled.DisplayMessage).toBe('Task started by client');
    expect(e.DisplayMessage).toBe('');
    expect(withDisplayMessage(filled)).toBe(filled);
  });
});
