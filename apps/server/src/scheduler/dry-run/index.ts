// A job plan's dry run (Nomad's Job.Plan): one pass of a real scheduler over the state with the
// proposed job in place, through a planner that records instead of applying. See README.md.
import type { Evaluation, Job } from '@berth/contract';
import type { StateStore } from '../../state/index.js';
import type { Plan, SchedulerFactory } from '../types.js';
import { overlayState } from './overlay-state.js';
import { RecordingPlanner } from './recording-planner.js';

export { annotateDiff } from './annotate.js';
export { MAX_WAITING_PLANS, PlanGate } from './plan-gate.js';

export interface DryRunResult {
  /** The plan the scheduler submitted, with its `annotations`. */
  plan: Plan;
  /** The evaluation as the scheduler completed it (FailedTGAllocs...). */
  evaluation: Evaluation;
  /** The evaluations it would have created (a blocked one); empty when none. */
  createdEvals: Evaluation[];
}

/**
 * Runs `scheduler` once on `evaluation` (which should ask for `AnnotatePlan`) against `store`
 * with `job` as its job's current version (null: the stored job, unchanged). Writes nothing.
 */
export async function dryRun(
  store: StateStore,
  job: Job | null,
  evaluation: Evaluation,
  scheduler: SchedulerFactory,
): Promise<DryRunResult> {
  const state = overlayState(store, job);
  const planner = new RecordingPlanner();
  try {
    await scheduler(state, planner).process(evaluation);
  } finally {
    state.close();
  }
  // Nomad's checks: one pass makes exactly one plan and one evaluation update.
  const [plan] = planner.plans;
  if (planner.plans.length !== 1 || plan === undefined) {
    throw new Error(`scheduler resulted in an unexpected number of plans: ${planner.plans.length}`);
  }
  const [updated] = planner.updatedEvals;
  if (planner.updatedEvals.length !== 1 || updated === undefined) {
    throw new Error(
      `scheduler resulted in an unexpected number of eval updates: ${planner.updatedEvals.length}`,
    );
  }
  return { plan, evaluation: updated, createdEvals: planner.createdEvals };
}
