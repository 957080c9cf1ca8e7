import { describe, expect, test } from 'vitest';
import { mockJob } from '../../test-support/mock.js';
import { specChanged } from './spec-changed.js';

describe('specChanged', () => {
  const job = mockJob();

  test('a new job is a change', () => {
    expect(specChanged(undefined, job)).toBe(true);
  });

  test('server-managed fields and key order are not changes', () => {
    const same = Object.fromEntries(Object.entries(job).reverse()) as typeof job;
    expect(
      specChanged(job, {
        ...same,
        Status: 'running',
        StatusDescription: 'x',
        Stable: true,
        Version: 7,
        CreateIndex: 1,
        ModifyIndex: 2,
        JobModifyIndex: 3,
        SubmitTime: 4,
      }),
    ).toBe(false);
  });

  test('a change anywhere in the spec is a change', () => {
    expect(specChanged(job, { ...job, Priority: 51 })).toBe(true);
    expect(specChanged(job, { ...job, Stop: true })).toBe(true);
    const groups = structuredClone(job.TaskGroups)!;
    groups[0]!.Tasks![0]!.Env = { FOO: 'baz' };
    expect(specChanged(job, { ...job, TaskGroups: groups })).toBe(true);
  });

  test('a job stored before a field was added equals its resubmission with the zero value', () => {
    const older: Record<string, unknown> = { ...job };
    delete older.VersionTag;
    delete older.NomadTokenID;
    expect(specChanged(older as typeof job, job)).toBe(false);
    expect(specChanged(older as typeof job, { ...job, NomadTokenID: 'x' })).toBe(true);
  });
});
