// A deliberately small scheduler for testing the scheduling machinery (broker, worker, plan
// applier, blocked evaluations) without the generic scheduler: it keeps each group's Count of
// allocations on the first ready node in the job's datacenters with room, marks allocations on
// down nodes lost, and blocks what does not fit.
import {
  AllocationSchema,
  EvaluationSchema,
  type Allocation,
  type Evaluation,
  type Job,
} from '@berth/contract';
import { randomUUID } from 'node:crypto';
import { terminal } from '../scheduler/planner/alloc-status.js';
import { allocsFit } from '../scheduler/planner/fit.js';
import type {
  Plan,
  Planner,
  Scheduler,
  SchedulerFactory,
  SchedulerState,
} from '../scheduler/types.js';

/** What each allocation of the tiny scheduler holds. */
export const TINY_CPU = 500;
export const TINY_MEMORY_MB = 256;

class TinyScheduler implements Scheduler {
  constructor(
    private readonly state: SchedulerState,
    private readonly planner: Planner,
  ) {}

  async process(evaluation: Evaluation): Promise<void> {
    let failed: Record<string, number> = {};
    for (let attempt = 0; attempt < 5; attempt++) {
      const { plan, unplaced } = this.computePlan(evaluation);
      failed = unplaced;
      if (plan.nodeUpdate.size === 0 && plan.nodeAllocation.size === 0) break;
      const result = await this.planner.submitPlan(plan);
      if (result.refreshIndex === 0) break;
    }
    const stillFailed = Object.keys(failed).length > 0;
    let blockedID = '';
    if (stillFailed && evaluation.Status !== 'blocked') {
      blockedID = randomUUID();
      await this.planner.createEval(
        EvaluationSchema.parse({
          ID: blockedID,
          Namespace: evaluation.Namespace,
          Priority: evaluation.Priority,
          Type: evaluation.Type,
          TriggeredBy: 'queued-allocs',
          JobID: evaluation.JobID,
          Status: 'blocked',
          PreviousEval: evaluation.ID,
        }),
      );
    }
    const failedTGAllocs = stillFailed
      ? Object.fromEntries(Object.keys(failed).map((tg) => [tg, {}]))
      : null;
    if (stillFailed && evaluation.Status === 'blocked') {
      await this.planner.reblockEval({
        ...evaluation,
        FailedTGAllocs: EvaluationSchema.shape.FailedTGAllocs.parse(failedTGAllocs),
      });
      return;
    }
    await this.planner.updateEval({
      ...evaluation,
      Status: 'complete',
      BlockedEval: blockedID,
      FailedTGAllocs: EvaluationSchema.shape.FailedTGAllocs.parse(failedTGAllocs),
      QueuedAllocations: failed,
    });
  }

  private computePlan(evaluation: Evaluation): { plan: Plan; unplaced: Record<string, number> } {
    const job = this.state.jobByID(evaluation.Namespace, evaluation.JobID) ?? null;
    const live = job?.Stop ? null : job;
    const plan: Plan = {
      evalID: evaluation.ID,
      priority: evaluation.Priority,
      job: live,
      nodeUpdate: new Map(),
      nodeAllocation: new Map(),
      allAtOnce: false,
    };
    const add = (map: Map<string, Allocation[]>, a: Allocation) =>
      map.set(a.NodeID, [...(map.get(a.NodeID) ?? []), a]);
    const unplaced: Record<string, number> = {};
    const running = this.state
      .allocsByJob(evaluation.Namespace, evaluation.JobID)
      .filter((a) => !terminal(a));

    // Allocations on nodes gone down are lost.
    const kept: Allocation[] = [];
    for (const a of running) {
      if (this.state.nodeByID(a.NodeID)?.Status === 'down') {
        add(plan.nodeUpdate, {
          ...a,
          DesiredStatus: 'stop',
          DesiredDescription: 'alloc is lost since its node is down',
          ClientStatus: 'lost',
        });
      } else kept.push(a);
    }

    for (const group of live?.TaskGroups ?? []) {
      const mine = kept.filter((a) => a.TaskGroup === group.Name);
      for (const extra of mine.slice(group.Count)) {
        add(plan.nodeUpdate, {
          ...extra,
          DesiredStatus: 'stop',
          DesiredDescription: 'alloc not needed',
        });
      }
      for (let i = mine.length; i < group.Count; i++) {
        const alloc = this.place(live!, group.Name, i, evaluation, plan);
        if (alloc === undefined) unplaced[group.Name] = (unplaced[group.Name] ?? 0) + 1;
        else add(plan.nodeAllocation, alloc);
      }
    }
    if (live === null) {
      for (const a of kept)
        add(plan.nodeUpdate, {
          ...a,
          DesiredStatus: 'stop',
          DesiredDescription: 'alloc not needed due to job update',
        });
    }
    return { plan, unplaced };
  }

  private place(
    job: Job,
    group: string,
    index: number,
    evaluation: Evaluation,
    plan: Plan,
  ): Allocation | undefined {
    const alloc = AllocationSchema.parse({
      ID: randomUUID(),
      Namespace: job.Namespace,
      EvalID: evaluation.ID,
      Name: `${job.ID}.${group}[${index}]`,
      JobID: job.ID,
      TaskGroup: group,
      DesiredStatus: 'run',
      ClientStatus: 'pending',
      AllocatedResources: {
        Tasks: { main: { Cpu: { CpuShares: TINY_CPU }, Memory: { MemoryMB: TINY_MEMORY_MB } } },
      },
    });
    for (const node of this.state.nodes()) {
      if (node.Status !== 'ready' || node.SchedulingEligibility !== 'eligible') continue;
      if (!(job.Datacenters ?? []).includes(node.Datacenter)) continue;
      const existing = this.state.allocsByNode(node.ID).filter((a) => !terminal(a));
      const stopping = new Set((plan.nodeUpdate.get(node.ID) ?? []).map((a) => a.ID));
      const proposed = [
        ...existing.filter((a) => !stopping.has(a.ID)),
        ...(plan.nodeAllocation.get(node.ID) ?? []),
        alloc,
      ];
      if (allocsFit(node, proposed).fit) {
        return { ...alloc, Job: job, NodeID: node.ID, NodeName: node.Name };
      }
    }
    return undefined;
  }
}

/** The tiny scheduler, for every job type. */
export const createTinyScheduler: SchedulerFactory = (state, planner) =>
  new TinyScheduler(state, planner);
