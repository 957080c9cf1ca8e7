// Nomad's GenericScheduler (scheduler/generic_sched.go) for `service` and `batch` jobs: for one
// evaluation, reconcile the job with its allocations, place what is missing on the best feasible
// nodes, submit everything as one plan (again, on conflicts), then complete the evaluation,
// creating a blocked evaluation for what did not fit.
import type {
  AllocMetric,
  Allocation,
  Evaluation,
  Job,
  JobPlanAnnotations,
  Node,
} from '@berth/contract';
import { EvaluationSchema } from '@berth/contract';
import { randomUUID } from 'node:crypto';

import { AllocFactory } from './alloc/new-alloc.js';
import { allocIndexFromName } from './alloc/status.js';
import { genericAllocUpdateFn } from './alloc-update.js';
import {
  DESC_BLOCKED_EVAL_FAILED_PLACEMENTS,
  DESC_BLOCKED_EVAL_MAX_PLAN,
  LAST_RESCHEDULE_FAILED_TO_PLACE,
  LAST_RESCHEDULE_SUCCESS,
  MAX_BATCH_SCHEDULE_ATTEMPTS,
  MAX_SERVICE_SCHEDULE_ATTEMPTS,
  STATUS_ALLOC_LOST,
} from './constants.js';
import { EvalEligibility } from './feasible/eligibility.js';
import { nodeReady, readyNodesInDCsAndPool } from './feasible/ready-nodes.js';
import { PlanBuilder } from './plan/plan-builder.js';
import { exhaustResources } from './rank/metrics.js';
import { GenericStack, type SelectOptions } from './rank/stack.js';
import { reconcile } from './reconcile/reconciler.js';
import { replacementTracker } from './reconcile/reschedule.js';
import type { PlaceResult } from './reconcile/types.js';
import type { AllocNameIndex } from './reconcile/alloc-name-index.js';
import { nanosFromRfc3339, nowNanos } from './time.js';
import { DEFAULT_JOB_LIMITS } from '../../endpoints/context.js';
import { TimeSlice } from '../../endpoints/time-slice.js';
import type { Planner, PlanResult, Scheduler, SchedulerState } from '../types.js';

/** The evaluation triggers the generic scheduler handles. */
const HANDLED_TRIGGERS = new Set([
  'job-register',
  'job-deregister',
  'node-drain',
  'node-update',
  'alloc-stop',
  'rolling-update',
  'queued-allocs',
  'periodic-job',
  'max-plan-attempts',
  'deployment-watcher',
  'alloc-failure',
  'failed-follow-up',
  'preemption',
  'job-scaling',
  'max-disconnect-timeout',
  'reconnect',
]);

export interface GenericSchedulerOptions {
  /** How long it works before yielding to the event loop (default: endpoints/time-slice.ts). */
  sliceMs?: number;
  /**
   * The most allocations one job may ask for (the server's job_max_count). Registration refuses
   * more; a job stored before a lower limit (or by an older berth) is refused here instead of
   * being looped over.
   */
  jobMaxCount?: number;
}

export class GenericScheduler implements Scheduler {
  private eval!: Evaluation;
  private batch = false;
  private job: Job | null = null;
  private plan!: PlanBuilder;
  private planResult: PlanResult | null = null;
  private eligibility = new EvalEligibility();
  private blocked: Evaluation | null = null;
  private failedTGAllocs: Record<string, AllocMetric> | null = null;
  private queuedAllocs: Record<string, number> = {};
  private followUpEvals: Evaluation[] = [];
  /** What the reconciler decided per group, for an `AnnotatePlan` evaluation (a job plan). */
  private planAnnotations: JobPlanAnnotations | null = null;
  /**
   * Placing many allocations yields to the event loop between slices. The state may change
   * meanwhile: what the scheduler read first stays its view, nodes it looks at later are read
   * as they are then, and the plan applier re-checks every node against the state it commits on.
   */
  private readonly slice: TimeSlice;
  private readonly jobMaxCount: number;

  constructor(
    private readonly state: SchedulerState,
    private readonly planner: Planner,
    options: GenericSchedulerOptions = {},
  ) {
    this.slice = new TimeSlice(options.sliceMs);
    this.jobMaxCount = options.jobMaxCount ?? DEFAULT_JOB_LIMITS.jobMaxCount;
  }

  async process(evaluation: Evaluation): Promise<void> {
    this.eval = { ...evaluation };
    this.batch = evaluation.Type === 'batch';
    if (!HANDLED_TRIGGERS.has(evaluation.TriggeredBy)) {
      await this.setStatus(
        'failed',
        `scheduler cannot handle '${evaluation.TriggeredBy}' evaluation reason`,
      );
      return;
    }
    const job = this.state.jobByID(this.eval.Namespace, this.eval.JobID);
    const total =
      job && !job.Stop ? (job.TaskGroups ?? []).reduce((sum, tg) => sum + tg.Count, 0) : 0;
    if (total > this.jobMaxCount) {
      await this.setStatus(
        'failed',
        `total count was greater than configured job_max_count: ${total} > ${this.jobMaxCount}`,
      );
      return;
    }

    // Retry while plans conflict; progress resets the count (Nomad's retryMax).
    const limit = this.batch ? MAX_BATCH_SCHEDULE_ATTEMPTS : MAX_SERVICE_SCHEDULE_ATTEMPTS;
    let attempts = 0;
    let done = false;
    while (attempts < limit) {
      done = await this.attempt();
      if (done) break;
      if (this.progressMade()) attempts = 0;
      else attempts++;
    }
    if (!done) {
      await this.createBlockedEval(true);
      await this.setStatus('failed', `maximum attempts reached (${limit})`);
      return;
    }

    // A blocked evaluation that still cannot place everything goes back to the blocked set.
    if (this.eval.Status === 'blocked' && this.failedTGAllocs !== null) {
      const escaped = this.eligibility.hasEscaped();
      await this.planner.reblockEval({
        ...this.eval,
        EscapedComputedClass: escaped,
        ClassEligibility: this.eligibility.classes(),
        FailedTGAllocs: this.failedTGAllocs,
        QueuedAllocations: this.queuedAllocs,
        ModifyTime: nowNanos(),
      });
      return;
    }
    await this.setStatus('complete', '');
  }

  private progressMade(): boolean {
    const r = this.planResult;
    return r !== null && (r.nodeUpdate.size > 0 || r.nodeAllocation.size > 0);
  }

  private async setStatus(status: Evaluation['Status'], description: string): Promise<void> {
    await this.planner.updateEval({
      ...this.eval,
      Status: status,
      StatusDescription: description,
      FailedTGAllocs: this.failedTGAllocs,
      BlockedEval: this.blocked?.ID ?? this.eval.BlockedEval,
      QueuedAllocations: this.queuedAllocs,
      ModifyTime: nowNanos(),
    });
  }

  private async createBlockedEval(planFailure: boolean): Promise<void> {
    const escaped = this.eligibility.hasEscaped();
    const now = nowNanos();
    this.blocked = EvaluationSchema.parse({
      ID: randomUUID(),
      Namespace: this.eval.Namespace,
      Priority: this.eval.Priority,
      Type: this.eval.Type,
      TriggeredBy: planFailure ? 'max-plan-attempts' : 'queued-allocs',
      JobID: this.eval.JobID,
      JobModifyIndex: this.eval.JobModifyIndex,
      Status: 'blocked',
      StatusDescription: planFailure
        ? DESC_BLOCKED_EVAL_MAX_PLAN
        : DESC_BLOCKED_EVAL_FAILED_PLACEMENTS,
      PreviousEval: this.eval.ID,
      FailedTGAllocs: this.failedTGAllocs,
      ClassEligibility: escaped ? null : this.eligibility.classes(),
      EscapedComputedClass: escaped,
      CreateTime: now,
      ModifyTime: now,
    });
    await this.planner.createEval(this.blocked);
  }

  /** One pass: plan and submit. True when done, false to retry (part of the plan was rejected). */
  private async attempt(): Promise<boolean> {
    const job = this.state.jobByID(this.eval.Namespace, this.eval.JobID) ?? null;
    this.job = job;
    const stopped = job === null || job.Stop;
    this.queuedAllocs = {};
    this.followUpEvals = [];
    this.failedTGAllocs = null;
    this.plan = new PlanBuilder(this.state, this.eval, stopped ? null : job);
    this.eligibility = new EvalEligibility();
    const stack = new GenericStack(
      this.batch,
      this.plan,
      this.eligibility,
      this.eval.ID,
      this.state.latestIndex(),
    );
    if (!stopped) stack.setJob(job);

    await this.computeJobAllocs(stack);

    if (
      this.eval.Status !== 'blocked' &&
      this.failedTGAllocs !== null &&
      this.blocked === null &&
      (this.followUpEvals.length === 0 ||
        Date.now() * 1e6 > (nanosFromRfc3339(this.eval.WaitUntil) ?? 0))
    ) {
      await this.createBlockedEval(false);
    }

    if (this.plan.isNoOp() && !this.eval.AnnotatePlan) return true;

    // Follow-up evaluations for delayed reschedules, unless this one was itself delayed.
    if (this.followUpEvals.length > 0 && nanosFromRfc3339(this.eval.WaitUntil) === undefined) {
      for (const followUp of this.followUpEvals) {
        const created = { ...followUp, PreviousEval: this.eval.ID };
        this.eval.NextEval = created.ID;
        await this.planner.createEval(created);
      }
    }

    const plan = this.plan.build();
    if (this.eval.AnnotatePlan && this.planAnnotations !== null) {
      plan.annotations = this.planAnnotations;
    }
    const result = await this.planner.submitPlan(plan);
    this.planResult = result;
    for (const allocs of result.nodeAllocation.values()) {
      for (const a of allocs) {
        const queued = this.queuedAllocs[a.TaskGroup];
        if (this.plan.created.has(a.ID) && queued !== undefined) {
          this.queuedAllocs[a.TaskGroup] = queued - 1;
        }
      }
    }
    return result.refreshIndex === 0;
  }

  /** Nomad's computeJobAllocs: reconcile, stage stops and updates, then place. */
  private async computeJobAllocs(stack: GenericStack): Promise<void> {
    const { Namespace: namespace, JobID: jobID } = this.eval;
    const allocs = this.state.allocsByJob(namespace, jobID);
    const now = nowNanos();
    const tainted = this.taintedNodes(allocs);

    // Allocations already told to stop whose node went down are marked lost.
    for (const a of allocs) {
      const node = tainted.get(a.NodeID);
      if (!tainted.has(a.NodeID) || (node !== null && node?.Status !== 'down')) continue;
      if (
        (a.DesiredStatus === 'stop' || a.DesiredStatus === 'evict') &&
        (a.ClientStatus === 'running' || a.ClientStatus === 'pending')
      ) {
        this.plan.appendStopped(a, STATUS_ALLOC_LOST, 'lost', '', now);
      }
    }

    const result = await reconcile({
      job: this.job,
      namespace,
      jobID,
      batch: this.batch,
      allocs,
      evalID: this.eval.ID,
      evalPriority: this.eval.Priority,
      tainted,
      now,
      allocUpdateFn: genericAllocUpdateFn(this.state, this.plan, stack, this.eval, now),
      pause: () => this.slice.maybeYield(),
    });
    this.planAnnotations = {
      DesiredTGUpdates: Object.fromEntries(result.desiredTGUpdates),
      PreemptedAllocs: null,
    };
    this.followUpEvals.push(...result.followupEvals);
    for (const s of result.stop) {
      await this.slice.maybeYield();
      this.plan.appendStopped(s.alloc, s.description, s.clientStatus, s.followupEvalID, now);
    }
    for (const a of result.inplace) {
      await this.slice.maybeYield();
      this.plan.appendAlloc(a);
    }
    for (const a of result.attributeUpdates) this.plan.appendAlloc({ ...a, ModifyTime: now });

    const job = this.job;
    if (result.place.length + result.destructive.length === 0 || job === null || job.Stop) {
      for (const tg of job?.TaskGroups ?? []) this.queuedAllocs[tg.Name] = 0;
      return;
    }
    for (const tg of job.TaskGroups ?? []) this.queuedAllocs[tg.Name] = 0;
    for (const p of [...result.place, ...result.destructive]) {
      this.queuedAllocs[p.taskGroup.Name] = (this.queuedAllocs[p.taskGroup.Name] ?? 0) + 1;
    }
    await this.slice.maybeYield();
    await this.computePlacements(
      job,
      stack,
      result.destructive,
      result.place,
      result.nameIndexes,
      now,
    );
  }

  /** Nodes of the job's allocations that are down or disconnected (Node), or gone (null). */
  private taintedNodes(allocs: readonly Allocation[]): Map<string, Node | null> {
    const out = new Map<string, Node | null>();
    const seen = new Set<string>();
    for (const a of allocs) {
      if (seen.has(a.NodeID)) continue;
      seen.add(a.NodeID);
      const node = this.state.nodeByID(a.NodeID);
      if (node === undefined) out.set(a.NodeID, null);
      else if (node.Status === 'down' || node.Status === 'disconnected') out.set(a.NodeID, node);
    }
    return out;
  }

  /** Nomad's computePlacements: destructive updates first (they free room), then placements. */
  private async computePlacements(
    job: Job,
    stack: GenericStack,
    destructive: PlaceResult[],
    place: PlaceResult[],
    nameIndexes: Map<string, AllocNameIndex>,
    now: number,
  ): Promise<void> {
    const { nodes, byDC } = readyNodesInDCsAndPool(
      this.state.nodes(),
      job.Datacenters,
      job.NodePool,
    );
    stack.setNodes(nodes);
    const factories = new Map<string, AllocFactory>();
    const plan = this.plan;

    for (const missing of [...destructive, ...place]) {
      await this.slice.maybeYield();
      const tg = missing.taskGroup;
      const failed = this.failedTGAllocs?.[tg.Name];
      const prev = missing.previousAlloc;
      if (failed !== undefined) {
        failed.CoalescedFailures++;
        exhaustResources(failed, tg);
        if (prev !== undefined && missing.reschedule) this.markFailedToReschedule(prev, now);
        continue;
      }
      if (missing.stopPrevious !== undefined && prev !== undefined) {
        plan.appendStopped(prev, missing.stopPrevious, '', '', now);
      }
      const { option, metrics, top } = stack.select(tg, this.selectOptions(missing, job));
      metrics.NodesAvailable = byDC;
      metrics.NodesInPool = nodes.length;
      metrics.NodePool = job.NodePool;
      metrics.ScoreMetaData = top.result();

      if (option !== null) {
        const nameIndex = nameIndexes.get(tg.Name);
        let name = missing.name;
        const index = allocIndexFromName(name, job.ID, tg.Name);
        if (nameIndex?.isDuplicate(index) === true) {
          name = nameIndex.next(1)[0] ?? name;
          nameIndex.unset(index);
        }
        let factory = factories.get(tg.Name);
        if (factory === undefined) {
          factory = new AllocFactory(job, tg, this.eval.ID);
          factories.set(tg.Name, factory);
        }
        const alloc = factory.create({ name, node: option.node, metrics, now });
        if (prev !== undefined) {
          alloc.PreviousAllocation = prev.ID;
          if (missing.reschedule) {
            alloc.RescheduleTracker = replacementTracker(prev, now);
            const staged = plan.stagedStop(prev);
            if (staged !== undefined) {
              plan.swap({
                ...staged,
                RescheduleTracker: {
                  Events: staged.RescheduleTracker?.Events ?? null,
                  LastReschedule: LAST_RESCHEDULE_SUCCESS,
                },
              });
            }
          }
        }
        plan.appendAlloc(alloc, true);
        continue;
      }

      exhaustResources(metrics, tg);
      this.failedTGAllocs ??= {};
      this.failedTGAllocs[tg.Name] = metrics;
      // The replacement did not fit: the previous allocation keeps running.
      if (missing.stopPrevious !== undefined && prev !== undefined) plan.popUpdate(prev);
      if (prev !== undefined && missing.reschedule) this.markFailedToReschedule(prev, now);
    }
  }

  /** A failed allocation that could not be replaced stays, reschedulable by the blocked eval. */
  private markFailedToReschedule(prev: Allocation, now: number): void {
    this.plan.popUpdate(prev);
    this.plan.appendAlloc({
      ...prev,
      RescheduleTracker: {
        Events: prev.RescheduleTracker?.Events ?? null,
        LastReschedule: LAST_RESCHEDULE_FAILED_TO_PLACE,
      },
      ModifyTime: now,
    });
  }

  /** Penalise the nodes a failed allocation ran on; prefer the old node for sticky disks. */
  private selectOptions(missing: PlaceResult, job: Job): SelectOptions {
    const prev = missing.previousAlloc;
    const options: SelectOptions = {};
    if (prev === undefined) return options;
    const penalty = new Set<string>();
    if (prev.ClientStatus === 'failed') penalty.add(prev.NodeID);
    for (const e of prev.RescheduleTracker?.Events ?? []) penalty.add(e.PrevNodeID);
    options.penaltyNodeIDs = penalty;
    const disk = missing.taskGroup.EphemeralDisk;
    const samePlacement =
      prev.Job?.NodePool === job.NodePool &&
      JSON.stringify(prev.Job.Datacenters) === JSON.stringify(job.Datacenters);
    if (samePlacement && (disk?.Sticky === true || disk?.Migrate === true)) {
      const node = this.state.nodeByID(prev.NodeID);
      if (node !== undefined && nodeReady(node)) options.preferredNodes = [node];
    }
    return options;
  }
}
