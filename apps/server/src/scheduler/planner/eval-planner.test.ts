import type { Job } from '@berth/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStateStore, type StateStore } from '../../state/index.js';
import { seed } from '../../test-support/harness.js';
import { mockEval, mockJob, mockNode } from '../../test-support/mock.js';
import type { Plan } from '../types.js';
import { EvalPlanner } from './eval-planner.js';
import { PlanApplier } from './plan-applier.js';

let store: StateStore;
let applier: PlanApplier;
let job: Job;

beforeEach(async () => {
  store = openStateStore({ inMemory: true, freeze: true });
  applier = new PlanApplier(store);
  job = mockJob();
  await seed(store, { jobs: [job], nodes: [mockNode()] });
});

afterEach(() => {
  applier.stop();
  store.close();
});

const emptyPlan = (): Plan => ({
  evalID: 'e',
  priority: 50,
  job,
  nodeUpdate: new Map(),
  nodeAllocation: new Map(),
  allAtOnce: false,
});

function planner(evalID: string): EvalPlanner {
  return new EvalPlanner({ store, applier, outstanding: () => 'token' }, evalID, 'token');
}

describe('the SnapshotIndex an evaluation is written with', () => {
  it('is where its plan was submitted when only the scheduler wrote meanwhile', async () => {
    const evaluation = mockEval({ JobID: job.ID });
    const p = planner(evaluation.ID);
    await p.createEval(mockEval({ JobID: job.ID, Status: 'blocked' })); // its own write
    await p.submitPlan(emptyPlan());
    const submittedAt = store.latestIndex();
    await p.updateEval({ ...evaluation, Status: 'complete' });
    expect(store.evalByID(evaluation.ID)?.SnapshotIndex).toBe(submittedAt);
  });

  it('is where the scheduler began when others wrote while it worked', async () => {
    // A scheduler that yields may have read a node before a write that freed room on it: the
    // blocked-evals tracker must see the evaluation as decided before that write.
    const began = store.latestIndex();
    const evaluation = mockEval({ JobID: job.ID });
    const p = planner(evaluation.ID);
    await seed(store, { nodes: [mockNode()] }); // someone else's write
    await p.submitPlan(emptyPlan());
    await p.updateEval({ ...evaluation, Status: 'complete' });
    expect(store.evalByID(evaluation.ID)?.SnapshotIndex).toBe(began);
  });
});
