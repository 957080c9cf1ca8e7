// Nomad's Annotate: what `nomad job plan` prints beside a diff.
import type { JobDiff, JobPlanAnnotations, TaskDiff } from '@berth/contract';
import { expect, test } from 'vitest';
import { annotateDiff } from './annotate.js';

const zero = {
  Ignore: 0,
  Place: 0,
  Migrate: 0,
  Stop: 0,
  InPlaceUpdate: 0,
  DestructiveUpdate: 0,
  Canary: 0,
  Preemptions: 0,
  Disconnect: 0,
  Reconnect: 0,
  RescheduleNow: 0,
  RescheduleLater: 0,
};

const task = (name: string, change: Partial<TaskDiff>): TaskDiff => ({
  Type: 'Edited',
  Name: name,
  Fields: null,
  Objects: null,
  Annotations: null,
  ...change,
});

const field = (Name: string, Old: string, New: string) => ({
  Type: 'Edited' as const,
  Name,
  Old,
  New,
  Annotations: null,
});

function diffOf(tasks: TaskDiff[], count?: [string, string]): JobDiff {
  return {
    Type: 'Edited',
    ID: 'web',
    Fields: null,
    Objects: null,
    TaskGroups: [
      {
        Type: 'Edited',
        Name: 'web',
        Fields: count ? [field('Count', ...count)] : null,
        Objects: null,
        Tasks: tasks,
        Updates: null,
      },
    ],
  };
}

test('a group gets the non-zero update counts under their plan names', () => {
  const annotations: JobPlanAnnotations = {
    DesiredTGUpdates: { web: { ...zero, Place: 1, Ignore: 2, Stop: 3, DestructiveUpdate: 4 } },
    PreemptedAllocs: null,
  };
  const [group] = annotateDiff(diffOf([]), annotations).TaskGroups!;
  expect(group!.Updates).toEqual({
    create: 1,
    ignore: 2,
    destroy: 3,
    'create/destroy update': 4,
  });
});

test('a count up forces creates, a count down destroys', () => {
  const up = annotateDiff(diffOf([], ['2', '3']), null).TaskGroups![0]!.Fields![0]!;
  expect(up.Annotations).toEqual(['forces create']);
  const down = annotateDiff(diffOf([], ['3', '']), null).TaskGroups![0]!.Fields![0]!;
  expect(down.Annotations).toEqual(['forces destroy']);
});

test('a task: KillTimeout and services change in place, anything else forces a replacement', () => {
  const obj = (Name: string, fields = [field('Name', 'a', 'b')]) => ({
    Type: 'Edited' as const,
    Name,
    Fields: fields,
    Objects: null,
  });
  const tasks = [
    task('timeout', { Fields: [field('KillTimeout', '5000000000', '1000000000')] }),
    task('service', { Objects: [obj('Service')] }),
    task('logs', { Objects: [obj('LogConfig', [field('MaxFiles', '10', '5')])] }),
    task('logs-off', { Objects: [obj('LogConfig', [field('Disabled', 'false', 'true')])] }),
    task('driver', { Fields: [field('Driver', 'exec', 'raw_exec')] }),
    task('config', { Objects: [obj('Config')] }),
    task('same', { Type: 'None' }),
  ];
  const annotated = annotateDiff(diffOf(tasks), null).TaskGroups![0]!.Tasks!;
  expect(Object.fromEntries(annotated.map((t) => [t.Name, t.Annotations]))).toEqual({
    timeout: ['forces in-place update'],
    service: ['forces in-place update'],
    logs: ['forces in-place update'],
    'logs-off': ['forces create/destroy update'],
    driver: ['forces create/destroy update'],
    config: ['forces create/destroy update'],
    same: null,
  });
});

test('the tasks of a group added or removed are created or destroyed', () => {
  const diff = diffOf([task('a', { Type: 'Added' }), task('b', { Type: 'Deleted' })]);
  diff.TaskGroups![0]!.Type = 'Added';
  const [a, b] = annotateDiff(diff, null).TaskGroups![0]!.Tasks!;
  expect([a!.Annotations, b!.Annotations]).toEqual([['forces create'], ['forces destroy']]);
});
