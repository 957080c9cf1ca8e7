// A scheduler test in a few lines: a real in-memory state store seeded with Nomad-like fixtures,
// the test planner, and helpers to run an evaluation and read what it left in the state.
import type { Allocation, Evaluation, Job, Node } from '@berth/contract';

import { openStateStore, type StateStore } from '../../../state/index.js';
import { seed, type Seed } from '../../../test-support/harness.js';
import { mockEval } from '../../../test-support/mock.js';
import { clientTerminal } from '../alloc/status.js';
import { createGenericScheduler } from '../index.js';
import { TestPlanner, type TestPlannerOptions } from './planner.js';

export interface Scenario {
  store: StateStore;
  planner: TestPlanner;
  /** Writes more objects (indexes set as the scheduler's writes would). */
  seed(objects: Seed): Promise<number>;
  /** Stores an evaluation for the job and processes it; resolves with its final status. */
  evaluate(job: Job, overrides?: Partial<Evaluation>): Promise<Evaluation>;
  /** Processes an evaluation as given (e.g. a blocked or follow-up one). */
  process(evaluation: Evaluation): Promise<Evaluation>;
  /** The job's allocations that the servers want running and the client has not finished. */
  running(job: Job): Allocation[];
  /** All allocations of the job. */
  allocs(job: Job): Allocation[];
  close(): void;
}

export async function scenario(
  objects: Seed = {},
  options: TestPlannerOptions = {},
): Promise<Scenario> {
  const store = openStateStore({ inMemory: true, freeze: true });
  if (Object.keys(objects).length > 0) await seed(store, objects);
  const planner = new TestPlanner(store, options);
  const process = async (evaluation: Evaluation): Promise<Evaluation> => {
    await createGenericScheduler(store, planner).process(evaluation);
    const last = [...planner.updated, ...planner.reblocked]
      .filter((e) => e.ID === evaluation.ID)
      .pop();
    if (last === undefined) throw new Error('the scheduler did not update the evaluation');
    return last;
  };
  return {
    store,
    planner,
    seed: (o) => seed(store, o),
    async evaluate(job, overrides = {}) {
      const stored = store.jobByID(job.Namespace, job.ID);
      const evaluation = mockEval({
        Namespace: job.Namespace,
        JobID: job.ID,
        Type: job.Type,
        Priority: job.Priority,
        TriggeredBy: 'job-register',
        JobModifyIndex: stored?.JobModifyIndex ?? 0,
        ...overrides,
      });
      await seed(store, { evals: [evaluation] });
      return process(evaluation);
    },
    process,
    running: (job) =>
      store
        .allocsByJob(job.Namespace, job.ID)
        .filter((a) => a.DesiredStatus === 'run' && !clientTerminal(a)),
    allocs: (job) => store.allocsByJob(job.Namespace, job.ID),
    close: () => store.close(),
  };
}

/** `n` ready nodes from `make` (e.g. mockNode with overrides). */
export function nodes(n: number, make: (i: number) => Node): Node[] {
  return Array.from({ length: n }, (_, i) => make(i));
}
