// The generic scheduler for `service` and `batch` jobs (Nomad's scheduler.GenericScheduler):
// see README.md for the pipeline.
import type { SchedulerFactory } from '../types.js';
import { GenericScheduler, type GenericSchedulerOptions } from './generic-scheduler.js';

/** Builds a generic scheduler over `state` that acts through `planner`. */
export const createGenericScheduler: SchedulerFactory = (state, planner) =>
  new GenericScheduler(state, planner);

/** The factory of generic schedulers with `options` (e.g. the server's job_max_count). */
export function genericSchedulerWith(options: GenericSchedulerOptions): SchedulerFactory {
  return (state, planner) => new GenericScheduler(state, planner, options);
}

export { GenericScheduler } from './generic-scheduler.js';
export { computedClass } from './feasible/computed-class.js';
export {
  STATUS_ALLOC_LOST,
  STATUS_ALLOC_MIGRATING,
  STATUS_ALLOC_NOT_NEEDED,
  STATUS_ALLOC_RESCHEDULED,
  STATUS_ALLOC_UPDATING,
} from './constants.js';
