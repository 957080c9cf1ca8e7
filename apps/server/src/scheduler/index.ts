// The scheduling loop of a berth server (Nomad's leader: eval broker, blocked evals, workers, plan
// applier, failed-eval reaper): see README.md.
import { EvalTriggeredBy, type Evaluation } from '@berth/contract';
import type { StateStore } from '../state/index.js';
import { BlockedEvals } from './blocked/blocked-evals.js';
import { EvalBroker, type EvalBrokerOptions } from './broker/eval-broker.js';
import { cancelSuperseded, feedBroker } from './broker/feed.js';
import { NodeDrainer } from './drainer/drainer.js';
import { createGenericScheduler, genericSchedulerWith } from './generic/index.js';
import { PlanApplier, type PlanApplierOptions } from './planner/plan-applier.js';
import type { SchedulerFactory } from './types.js';
import { FailedReaper } from './worker/failed-reaper.js';
import { Worker } from './worker/worker.js';

export type * from './types.js';
export { BlockedEvals } from './blocked/blocked-evals.js';
export { EvalBroker, FAILED_QUEUE, type EvalBrokerOptions } from './broker/eval-broker.js';
export { NodeDrainer } from './drainer/drainer.js';
export { PlanApplier } from './planner/plan-applier.js';
export { Worker } from './worker/worker.js';

/** The schedulers of a berth server: the generic scheduler for `service` and `batch` jobs. */
export const defaultSchedulers: Readonly<Record<string, SchedulerFactory>> = {
  service: createGenericScheduler,
  batch: createGenericScheduler,
};

export interface SchedulingOptions {
  /** The scheduler of each evaluation type; other types fail (default: {@link defaultSchedulers}). */
  schedulers?: Readonly<Record<string, SchedulerFactory>>;
  /** How many workers dequeue in parallel (default 1). */
  workers?: number;
  /** Broker timings and delivery limit (Nomad's defaults otherwise). */
  broker?: Omit<EvalBrokerOptions, 'onCancelable'>;
  /** The wait of the follow-up of an evaluation that failed (Nomad: 1 min + up to 5 min). */
  failedFollowup?: { baselineMs: number; rangeMs: number };
  /** Told of each node a plan was rejected on (for logs and tests). */
  onPlanReject?: PlanApplierOptions['onReject'];
  /** The server's job_max_count, which the default schedulers also enforce. */
  jobMaxCount?: number;
}

/**
 * Whether a pending evaluation is a blocked one written back to `pending` to be retried: only
 * blocked evaluations carry these triggers. After a restart the tracker no longer remembers what it
 * released, and a scheduler handed such an evaluation as a new one would block a duplicate.
 */
function unblockedBefore(e: Evaluation | undefined): boolean {
  return (
    e?.TriggeredBy === EvalTriggeredBy.QueuedAllocs || e?.TriggeredBy === EvalTriggeredBy.MaxPlans
  );
}

function schedulersFor(
  jobMaxCount: number | undefined,
): Readonly<Record<string, SchedulerFactory>> {
  if (jobMaxCount === undefined) return defaultSchedulers;
  const generic = genericSchedulerWith({ jobMaxCount });
  return { service: generic, batch: generic };
}

/** A running scheduling loop. */
export interface Scheduling {
  broker: EvalBroker;
  blocked: BlockedEvals;
  applier: PlanApplier;
  /** Migrates the allocations of draining nodes (drainer/). */
  drainer: NodeDrainer;
  /** Stops dequeuing, lets the evaluations in hand finish, and stops every timer. */
  stop(): Promise<void>;
}

/**
 * Starts scheduling over `store`: blocked evaluations stored are parked, pending ones enqueued,
 * and from then on every committed pending evaluation is processed by a worker.
 */
export function startScheduling(store: StateStore, options: SchedulingOptions = {}): Scheduling {
  const cancelling = new Set<Promise<void>>();
  const broker = new EvalBroker({
    ...options.broker,
    onCancelable: (evaluations) => {
      const done = cancelSuperseded(store, evaluations).finally(() => cancelling.delete(done));
      cancelling.add(done);
    },
  });
  const applier = new PlanApplier(store, { onReject: options.onPlanReject });
  const blocked = new BlockedEvals(store);
  blocked.start();
  const unfeed = feedBroker(store, broker);

  const workers = Array.from(
    { length: Math.max(1, options.workers ?? 1) },
    () =>
      new Worker({
        store,
        broker,
        applier,
        schedulers: options.schedulers ?? schedulersFor(options.jobMaxCount),
        wasBlocked: (id) => blocked.takeReleased(id) || unblockedBefore(store.evalByID(id)),
      }),
  );
  const reaper = new FailedReaper(store, broker, {
    deliveryLimit: options.broker?.deliveryLimit ?? 3,
    followupBaselineMs: options.failedFollowup?.baselineMs,
    followupRangeMs: options.failedFollowup?.rangeMs,
  });
  for (const w of workers) w.start();
  reaper.start();
  const drainer = new NodeDrainer(store);
  drainer.start();

  let stopping: Promise<void> | undefined;
  return {
    broker,
    blocked,
    applier,
    drainer,
    stop() {
      stopping ??= (async () => {
        await drainer.stop();
        unfeed();
        await Promise.all([...workers.map((w) => w.stop()), reaper.stop()]);
        applier.stop();
        broker.stop();
        await blocked.stop();
        await Promise.all(cancelling);
      })();
      return stopping;
    },
  };
}
