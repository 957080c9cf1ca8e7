// The scheduler's seams, after Nomad's scheduler package: a Scheduler processes one evaluation
// against a read-only State and hands its decisions to a Planner as one Plan. The planner (the
// plan applier and eval writes, in the server) decides what of a plan is committed.
import type { Allocation, Evaluation, Job, JobPlanAnnotations } from '@berth/contract';
import type { StateStore } from '../state/index.js';

/**
 * What a scheduler may read: the state store's synchronous, consistent reads, and its commits
 * (to keep what it derives from the state, such as per-node usage, current across evaluations).
 */
export type SchedulerState = Pick<
  StateStore,
  | 'onCommit'
  | 'allocByID'
  | 'allocsByJob'
  | 'allocsByNode'
  | 'evalByID'
  | 'jobByID'
  | 'jobVersion'
  | 'nodeByID'
  | 'nodes'
  | 'latestIndex'
>;

/**
 * The decisions of one evaluation, applied atomically by the plan applier (Nomad's structs.Plan).
 * Allocations in `nodeAllocation` are new placements or in-place updates; those in `nodeUpdate`
 * are existing allocations to stop (DesiredStatus `stop`/`evict`, with DesiredDescription) or mark
 * `lost` (ClientStatus), as the scheduler decided.
 */
export interface Plan {
  evalID: string;
  /** The evaluation's priority: higher-priority plans are applied first. */
  priority: number;
  /** The job version the placements come from (null when the job is gone or stopped). */
  job: Job | null;
  /** Allocations to stop or mark lost, by node ID. */
  nodeUpdate: Map<string, Allocation[]>;
  /** Allocations to place (or update in place), by node ID. */
  nodeAllocation: Map<string, Allocation[]>;
  /** When true, a plan that no longer fits is rejected whole rather than in part. */
  allAtOnce: boolean;
  /**
   * What the scheduler decided per task group, set only when the evaluation asks for it
   * (`AnnotatePlan`: a job plan's dry run). The plan applier ignores it.
   */
  annotations?: JobPlanAnnotations;
}

/** What the plan applier committed (Nomad's structs.PlanResult). */
export interface PlanResult {
  /** The stops and placements that were committed, by node ID. */
  nodeUpdate: Map<string, Allocation[]>;
  nodeAllocation: Map<string, Allocation[]>;
  /** The index of the write that committed them (0 if nothing was committed). */
  allocIndex: number;
  /**
   * Non-zero when part of the plan was rejected (a node no longer had room): the scheduler must
   * look at the state again at or after this index and plan what is still missing.
   */
  refreshIndex: number;
}

/** How a scheduler acts on the world (Nomad's scheduler.Planner). */
export interface Planner {
  /** Applies a plan; resolves with what was committed. */
  submitPlan(plan: Plan): Promise<PlanResult>;
  /** Records the evaluation's new status, FailedTGAllocs, QueuedAllocations, BlockedEval... */
  updateEval(evaluation: Evaluation): Promise<void>;
  /** Creates a follow-up evaluation (a blocked eval, or a delayed reschedule with WaitUntil). */
  createEval(evaluation: Evaluation): Promise<void>;
  /** Puts an already blocked evaluation back into the blocked set (Nomad's ReblockEval). */
  reblockEval(evaluation: Evaluation): Promise<void>;
}

/** Processes one evaluation to completion (Nomad's scheduler.Scheduler). */
export interface Scheduler {
  process(evaluation: Evaluation): Promise<void>;
}

/** Builds the scheduler for an evaluation's job type (`service`, `batch`). */
export type SchedulerFactory = (state: SchedulerState, planner: Planner) => Scheduler;
