import { describe, expect, test } from 'vitest';
import { mockJob } from '../../test-support/mock.js';
import { canonicalizeJob } from './canonicalize.js';
import { HOUR, MINUTE, SECOND } from './defaults.js';
import { Given } from './given.js';
import { jobFromSubmission } from './submission.js';

/** A minimal job as a user writes it: an ID, one group, one task. */
const minimal = {
  ID: 'example',
  TaskGroups: [{ Name: 'cache', Tasks: [{ Name: 'redis', Driver: 'raw_exec' }] }],
};

/** Canonicalises a submitted (partial) job the way register does. */
function canonical(submitted: Record<string, unknown>) {
  return canonicalizeJob(jobFromSubmission(submitted), Given.of(submitted));
}

describe('canonicalizeJob', () => {
  test('a periodic block without Enabled is enabled, as the API client fills it; false stays false', () => {
    const periodic = (block: Record<string, unknown>) =>
      canonical({ ...minimal, Type: 'batch', Periodic: block }).Periodic;
    expect(periodic({ Spec: '*/5 * * * *' })).toMatchObject({
      Enabled: true,
      SpecType: 'cron',
      TimeZone: 'UTC',
      ProhibitOverlap: false,
    });
    expect(periodic({ Spec: '*/5 * * * *', Enabled: false })?.Enabled).toBe(false);
    expect(periodic({ Spec: '@daily', TimeZone: 'Europe/Paris' })?.TimeZone).toBe('Europe/Paris');
    expect(canonical(minimal).Periodic ?? null).toBeNull();
  });

  test('fills the job defaults Nomad fills', () => {
    const job = canonical(minimal);
    expect(job).toMatchObject({
      ID: 'example',
      Name: 'example',
      Namespace: 'default',
      Region: 'global',
      Type: 'service',
      Priority: 50,
      Datacenters: ['*'],
      NodePool: 'default',
      Meta: null,
      Constraints: null,
    });
  });

  test('fills group and task defaults for a service job', () => {
    const tg = canonical(minimal).TaskGroups![0]!;
    expect(tg.Count).toBe(1);
    expect(tg.RestartPolicy).toEqual({
      Attempts: 2,
      Interval: 30 * MINUTE,
      Delay: 15 * SECOND,
      Mode: 'fail',
      RenderTemplates: false,
    });
    expect(tg.ReschedulePolicy).toEqual({
      Attempts: 0,
      Interval: 0,
      Delay: 30 * SECOND,
      DelayFunction: 'exponential',
      MaxDelay: HOUR,
      Unlimited: true,
    });
    expect(tg.EphemeralDisk).toEqual({ Sticky: false, SizeMB: 300, Migrate: false });
    expect(tg.Migrate).toEqual({
      MaxParallel: 1,
      HealthCheck: 'checks',
      MinHealthyTime: 10 * SECOND,
      HealthyDeadline: 5 * MINUTE,
    });
    expect(tg.Update).toBeNull();
    const task = tg.Tasks![0]!;
    expect(task.Resources).toMatchObject({ CPU: 100, MemoryMB: 300 });
    expect(task.KillTimeout).toBe(5 * SECOND);
    expect(task.LogConfig).toEqual({ MaxFiles: 10, MaxFileSizeMB: 10, Disabled: false });
    expect(task.RestartPolicy).toEqual(tg.RestartPolicy);
    expect(task.Env).toBeNull();
    expect(task.Meta).toBeNull();
  });

  test('batch jobs get the batch restart and reschedule policies and no migrate block', () => {
    const tg = canonical({ ...minimal, Type: 'batch' }).TaskGroups![0]!;
    expect(tg.RestartPolicy).toMatchObject({ Attempts: 3, Interval: 24 * HOUR, Mode: 'fail' });
    expect(tg.ReschedulePolicy).toEqual({
      Attempts: 1,
      Interval: 24 * HOUR,
      Delay: 5 * SECOND,
      DelayFunction: 'constant',
      MaxDelay: 0,
      Unlimited: false,
    });
    expect(tg.Migrate).toBeNull();
  });

  test('system jobs get no reschedule policy', () => {
    const tg = canonical({ ...minimal, Type: 'system' }).TaskGroups![0]!;
    expect(tg.ReschedulePolicy).toBeNull();
  });

  test('a count of 0 that was sent stays 0; an absent one is 1', () => {
    const zero = canonical({
      ...minimal,
      TaskGroups: [{ ...minimal.TaskGroups[0], Count: 0 }],
    });
    expect(zero.TaskGroups![0]!.Count).toBe(0);
  });

  test('policy fields that were sent win; the others are the defaults', () => {
    const job = canonical({
      ...minimal,
      Reschedule: { Attempts: 5, Interval: 2 * HOUR, Unlimited: false },
      TaskGroups: [
        {
          ...minimal.TaskGroups[0],
          RestartPolicy: { Attempts: 0 },
          ReschedulePolicy: { Delay: 10 * SECOND },
          Tasks: [
            { Name: 'redis', Driver: 'raw_exec', RestartPolicy: { Mode: 'delay', Attempts: 1 } },
          ],
        },
      ],
    });
    const tg = job.TaskGroups![0]!;
    expect(tg.RestartPolicy).toMatchObject({ Attempts: 0, Interval: 30 * MINUTE, Mode: 'fail' });
    // Group over job over defaults.
    expect(tg.ReschedulePolicy).toEqual({
      Attempts: 5,
      Interval: 2 * HOUR,
      Delay: 10 * SECOND,
      DelayFunction: 'exponential',
      MaxDelay: HOUR,
      Unlimited: false,
    });
    expect(tg.Tasks![0]!.RestartPolicy).toMatchObject({
      Attempts: 1,
      Mode: 'delay',
      Interval: 30 * MINUTE,
    });
  });

  test('explicit values are kept, empty maps and lists become null', () => {
    const job = canonicalizeJob(
      mockJob({ Meta: {}, Constraints: [], Priority: 70, Datacenters: ['dc1', 'dc2'] }),
    );
    expect(job).toMatchObject({
      Meta: null,
      Constraints: null,
      Priority: 70,
      Datacenters: ['dc1', 'dc2'],
    });
    const task = job.TaskGroups![0]!.Tasks![0]!;
    expect(task.Resources).toMatchObject({ CPU: 500, MemoryMB: 256 });
    expect(job.TaskGroups![0]!.Count).toBe(10);
  });

  test('reserved cores replace the default CPU', () => {
    const job = canonical({
      ...minimal,
      TaskGroups: [
        { Name: 'cache', Tasks: [{ Name: 'redis', Driver: 'raw_exec', Resources: { Cores: 2 } }] },
      ],
    });
    expect(job.TaskGroups![0]!.Tasks![0]!.Resources).toMatchObject({
      CPU: 0,
      Cores: 2,
      MemoryMB: 300,
    });
  });

  test('the input is not modified', () => {
    const input = mockJob({ Meta: {} });
    const copy = structuredClone(input);
    canonicalizeJob(input);
    expect(input).toEqual(copy);
  });
});
