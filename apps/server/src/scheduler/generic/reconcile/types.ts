// The reconciler's inputs and results (Nomad's scheduler/reconciler ReconcileResults,
// AllocPlaceResult, allocDestructiveResult, AllocStopResult).
import type { Allocation, DesiredUpdates, Evaluation, Job, Node, TaskGroup } from '@berth/contract';

import type { AllocNameIndex } from './alloc-name-index.js';

/** How an existing allocation meets a new job version. */
export type AllocUpdate =
  { kind: 'ignore' } | { kind: 'destructive' } | { kind: 'inplace'; updated: Allocation };

/** Decides between ignore, in-place and destructive (Nomad's genericAllocUpdateFn). */
export type AllocUpdateFn = (existing: Allocation, job: Job, tg: TaskGroup) => AllocUpdate;

/** An allocation to place. */
export interface PlaceResult {
  name: string;
  taskGroup: TaskGroup;
  /** The allocation this one replaces (lost, migrated, rescheduled or updated). */
  previousAlloc?: Allocation;
  /** Replaces a failed allocation: the replacement gets a RescheduleTracker event. */
  reschedule: boolean;
  /** Replaces an allocation of a down node. */
  lost: boolean;
  /** A destructive update: stop the previous allocation (with this text) only if this fits. */
  stopPrevious?: string;
}

/** An allocation to stop. */
export interface StopResult {
  alloc: Allocation;
  description: string;
  /** A new ClientStatus (`lost`), or empty. */
  clientStatus: string;
  followupEvalID: string;
}

export interface ReconcileInput {
  /** The job as stored; null when it was purged. */
  job: Job | null;
  namespace: string;
  jobID: string;
  batch: boolean;
  /** Every allocation of the job. */
  allocs: readonly Allocation[];
  evalID: string;
  evalPriority: number;
  /** Nodes of the job's allocations that are down, disconnected (Node) or gone (null). */
  tainted: ReadonlyMap<string, Node | null>;
  /** Unix nanoseconds. */
  now: number;
  allocUpdateFn: AllocUpdateFn;
  /** Awaited between in-place checks (each ranks a node): lets the event loop run. */
  pause?: () => Promise<void>;
}

export interface ReconcileResult {
  place: PlaceResult[];
  destructive: PlaceResult[];
  inplace: Allocation[];
  stop: StopResult[];
  /** Existing allocations updated without a job change (FollowupEvalID). */
  attributeUpdates: Allocation[];
  /** Delayed reschedule evaluations to create. */
  followupEvals: Evaluation[];
  nameIndexes: Map<string, AllocNameIndex>;
  /**
   * Per task group, what this reconciliation decided, counted as Nomad's reconciler counts them
   * (its `DesiredTGUpdates`): the scheduler puts them in the plan's annotations for a job plan.
   */
  desiredTGUpdates: Map<string, DesiredUpdates>;
}
