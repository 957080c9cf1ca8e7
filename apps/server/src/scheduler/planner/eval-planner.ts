// The Planner a worker hands the scheduler for one evaluation (Nomad's Worker as
// scheduler.Planner, nomad/worker.go): plans go to the plan applier, evaluation changes are
// written to the state, stamped with the index of the state the scheduler decided on.
import { EvalStatus, type Evaluation } from '@berth/contract';
import type { StateStore } from '../../state/index.js';
import { nowNanos } from '../../endpoints/time.js';
import type { Plan, Planner, PlanResult } from '../types.js';
import type { PlanApplier } from './plan-applier.js';

export interface EvalPlannerDeps {
  store: StateStore;
  applier: PlanApplier;
  /** The token of the evaluation's delivery, while it is outstanding (else undefined). */
  outstanding: (evalID: string) => string | undefined;
  now?: () => number;
}

/** Nomad's texts when a plan comes from a delivery that is no longer current. */
export const ErrNotOutstanding = 'evaluation is not outstanding';
export const ErrTokenMismatch = 'evaluation token does not match';

export class EvalPlanner implements Planner {
  /**
   * The latest index the scheduler is sure to have decided on: where processing started, then
   * where each plan was submitted. Written as SnapshotIndex, so the blocked-evals tracker can
   * tell whether a blocked evaluation missed capacity freed after it.
   */
  snapshotIndex: number;
  /** Where the scheduler's current pass began reading the state. */
  private readsFrom: number;
  /** The writes of this planner since then (evaluations: they free no room). */
  private ownWrites = 0;
  private readonly now: () => number;

  constructor(
    private readonly deps: EvalPlannerDeps,
    private readonly evalID: string,
    private readonly token: string,
  ) {
    this.snapshotIndex = deps.store.latestIndex();
    this.readsFrom = this.snapshotIndex;
    this.now = deps.now ?? nowNanos;
  }

  async submitPlan(plan: Plan): Promise<PlanResult> {
    const current = this.deps.outstanding(this.evalID);
    if (current === undefined) throw new Error(ErrNotOutstanding);
    if (current !== this.token) throw new Error(ErrTokenMismatch);
    // The scheduler yields to the event loop while it places: if others wrote meanwhile, it may
    // have read some nodes before their writes, and only where its pass began is sure.
    const latest = this.deps.store.latestIndex();
    this.snapshotIndex = latest - this.ownWrites === this.readsFrom ? latest : this.readsFrom;
    const result = await this.deps.applier.submit(plan);
    this.readsFrom = this.deps.store.latestIndex();
    this.ownWrites = 0;
    return result;
  }

  async updateEval(evaluation: Evaluation): Promise<void> {
    await this.write(evaluation);
  }

  async createEval(evaluation: Evaluation): Promise<void> {
    await this.write(evaluation);
  }

  /** Writes the evaluation `blocked` again; the blocked-evals tracker parks it from the commit. */
  async reblockEval(evaluation: Evaluation): Promise<void> {
    await this.write({ ...evaluation, Status: EvalStatus.Blocked });
  }

  /** Creates or replaces the evaluation, keeping a stored one's CreateIndex. */
  private async write(evaluation: Evaluation): Promise<void> {
    const now = this.now();
    const snapshotIndex = this.snapshotIndex;
    await this.deps.store.write((tx) => {
      const existing = tx.eval(evaluation.ID);
      tx.upsertEval({
        ...evaluation,
        CreateIndex: existing?.CreateIndex ?? tx.index,
        CreateTime: evaluation.CreateTime || existing?.CreateTime || now,
        ModifyIndex: tx.index,
        ModifyTime: now,
        SnapshotIndex: snapshotIndex,
      });
    });
    this.ownWrites++;
  }
}
