// The planner of a job plan (Nomad's in-memory PlanBuilder in Job.Plan): it records the plan and
// the evaluations the scheduler hands it, applies nothing, and answers that everything was
// committed, so the scheduler finishes in one pass.
import type { Evaluation } from '@berth/contract';
import type { Plan, Planner, PlanResult } from '../types.js';

export class RecordingPlanner implements Planner {
  /** The plans submitted (one for a plan's single pass). */
  readonly plans: Plan[] = [];
  /** The evaluation as the scheduler left it (status, FailedTGAllocs...). */
  readonly updatedEvals: Evaluation[] = [];
  /** The evaluations the scheduler would create (a blocked one, delayed reschedules). */
  readonly createdEvals: Evaluation[] = [];
  readonly reblockedEvals: Evaluation[] = [];

  submitPlan(plan: Plan): Promise<PlanResult> {
    this.plans.push(plan);
    // As if all of it was committed: no refresh, so no second attempt.
    return Promise.resolve({
      nodeUpdate: plan.nodeUpdate,
      nodeAllocation: plan.nodeAllocation,
      allocIndex: 0,
      refreshIndex: 0,
    });
  }

  updateEval(evaluation: Evaluation): Promise<void> {
    this.updatedEvals.push(evaluation);
    return Promise.resolve();
  }

  createEval(evaluation: Evaluation): Promise<void> {
    this.createdEvals.push(evaluation);
    return Promise.resolve();
  }

  reblockEval(evaluation: Evaluation): Promise<void> {
    this.reblockedEvals.push(evaluation);
    return Promise.resolve();
  }
}
