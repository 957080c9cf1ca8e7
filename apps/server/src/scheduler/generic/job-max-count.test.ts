// A job stored with more allocations than job_max_count (by an older berth, or before the limit was
// lowered) fails its evaluation instead of being looped over.
import { afterEach, describe, expect, it } from 'vitest';

import { mockEval, mockJob, mockNode } from '../../test-support/mock.js';
import { GenericScheduler } from './generic-scheduler.js';
import { nodes, scenario, type Scenario } from './test-support/scenario.js';

let s: Scenario | undefined;
afterEach(() => s?.close());

describe('job_max_count in the scheduler', () => {
  it('fails the evaluation of a stored job asking for a billion allocations, placing none', async () => {
    const job = mockJob({ ID: 'huge' });
    job.TaskGroups![0]!.Count = 1_000_000_000;
    s = await scenario({ jobs: [job], nodes: nodes(3, () => mockNode()) });
    const done = await s.evaluate(job);
    expect(done.Status).toBe('failed');
    expect(done.StatusDescription).toBe(
      'total count was greater than configured job_max_count: 1000000000 > 50000',
    );
    expect(s.allocs(job)).toEqual([]);
  });

  it('honours a configured lower limit', async () => {
    const job = mockJob({ ID: 'web' });
    s = await scenario({ jobs: [job], nodes: nodes(3, () => mockNode()) });
    const evaluation = mockEval({ JobID: 'web', TriggeredBy: 'job-register' });
    await s.seed({ evals: [evaluation] });
    await new GenericScheduler(s.store, s.planner, { jobMaxCount: 5 }).process(evaluation);
    const last = s.planner.updated.filter((e) => e.ID === evaluation.ID).pop()!;
    expect(last.Status).toBe('failed');
    expect(last.StatusDescription).toBe(
      'total count was greater than configured job_max_count: 10 > 5',
    );
    expect(s.allocs(job)).toEqual([]);
  });
});
