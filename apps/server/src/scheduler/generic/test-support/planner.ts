// A planner for the scheduler's tests: applies a plan to a real state store in one write, as
// the plan applier would (indexes, NextAllocation of replaced allocations), and records the
// evaluations the scheduler writes. It re-checks capacity only when asked to.
import type { Allocation, Evaluation } from '@berth/contract';

import type { StateStore } from '../../../state/index.js';
import type { Plan, PlanResult, Planner } from '../../types.js';
import { allocsFit } from '../../planner/fit.js';

export interface TestPlannerOptions {
  /**
   * Reject the placements on nodes that would be over-committed (as the real plan applier does)
   * and report a refresh index.
   */
  checkCapacity?: boolean;
  /** Called before a plan is applied (e.g. to take capacity meanwhile). */
  beforeApply?: (plan: Plan, attempt: number) => Promise<void> | void;
}

export class TestPlanner implements Planner {
  readonly plans: Plan[] = [];
  readonly results: PlanResult[] = [];
  readonly updated: Evaluation[] = [];
  readonly created: Evaluation[] = [];
  readonly reblocked: Evaluation[] = [];

  constructor(
    private readonly store: StateStore,
    private readonly options: TestPlannerOptions = {},
  ) {}

  /** The last status the scheduler gave an evaluation. */
  get last(): Evaluation | undefined {
    return this.updated[this.updated.length - 1];
  }

  async submitPlan(plan: Plan): Promise<PlanResult> {
    this.plans.push(plan);
    await this.options.beforeApply?.(plan, this.plans.length);
    const nodeAllocation = new Map(plan.nodeAllocation);
    let refreshIndex = 0;
    if (this.options.checkCapacity === true) {
      for (const [nodeID, allocs] of plan.nodeAllocation) {
        if (!this.fits(nodeID, plan, allocs)) {
          nodeAllocation.delete(nodeID);
          refreshIndex = this.store.latestIndex();
        }
      }
    }
    const nodeUpdate = plan.nodeUpdate;
    const committedAllocs = new Map<string, Allocation[]>();
    let allocIndex = 0;
    if (nodeUpdate.size > 0 || nodeAllocation.size > 0) {
      allocIndex = await this.store.write((tx) => {
        const at = { ModifyIndex: tx.index, AllocModifyIndex: tx.index };
        for (const allocs of nodeUpdate.values())
          for (const a of allocs) tx.upsertAlloc({ ...a, ...at });
        for (const [nodeID, allocs] of nodeAllocation) {
          const out: Allocation[] = [];
          for (const a of allocs) {
            const existing = tx.alloc(a.ID);
            const stored = { ...a, ...at, CreateIndex: existing?.CreateIndex ?? tx.index };
            tx.upsertAlloc(stored);
            out.push(stored);
            const prev = a.PreviousAllocation === '' ? undefined : tx.alloc(a.PreviousAllocation);
            if (prev !== undefined && existing === undefined) {
              tx.upsertAlloc({ ...prev, ...at, NextAllocation: a.ID });
            }
          }
          committedAllocs.set(nodeID, out);
        }
      });
    }
    const result: PlanResult = {
      nodeUpdate,
      nodeAllocation: committedAllocs,
      allocIndex,
      refreshIndex,
    };
    this.results.push(result);
    return result;
  }

  private fits(nodeID: string, plan: Plan, placing: readonly Allocation[]): boolean {
    const node = this.store.nodeByID(nodeID);
    if (node === undefined) return false;
    const removed = new Set([...(plan.nodeUpdate.get(nodeID) ?? []), ...placing].map((a) => a.ID));
    const proposed = this.store.allocsByNode(nodeID).filter((a) => !removed.has(a.ID));
    return allocsFit(node, [...proposed, ...placing]).fit;
  }

  async updateEval(evaluation: Evaluation): Promise<void> {
    this.updated.push(evaluation);
    await this.store.write((tx) => tx.upsertEval({ ...evaluation, ModifyIndex: tx.index }));
  }

  async createEval(evaluation: Evaluation): Promise<void> {
    this.created.push(evaluation);
    await this.store.write((tx) =>
      tx.upsertEval({ ...evaluation, CreateIndex: tx.index, ModifyIndex: tx.index }),
    );
  }

  async reblockEval(evaluation: Evaluation): Promise<void> {
    this.reblocked.push(evaluation);
    await this.store.write((tx) => tx.upsertEval({ ...evaluation, ModifyIndex: tx.index }));
  }
}
