// The texts and limits of Nomad's generic scheduler (scheduler/structs/const.go,
// scheduler/generic_sched.go), kept in one place because clients and tests match them verbatim.

/** Plan attempts before a service evaluation fails (Nomad's maxServiceScheduleAttempts). */
export const MAX_SERVICE_SCHEDULE_ATTEMPTS = 5;
/** Plan attempts before a batch evaluation fails (Nomad's maxBatchScheduleAttempts). */
export const MAX_BATCH_SCHEDULE_ATTEMPTS = 2;
/** Reschedule events kept on an allocation when rescheduling is unlimited. */
export const MAX_PAST_RESCHEDULE_EVENTS = 5;

/**
 * DesiredDescription of an allocation the job no longer needs: count decrease, group removed, or
 * the job stopped or purged (Nomad uses this one text for all of them).
 */
export const STATUS_ALLOC_NOT_NEEDED = 'alloc not needed due to job update';
/** DesiredDescription of an allocation moved to another node (alloc stop, drain). */
export const STATUS_ALLOC_MIGRATING = 'alloc is being migrated';
/** DesiredDescription of an allocation replaced by a destructive job update. */
export const STATUS_ALLOC_UPDATING = 'alloc is being updated due to job update';
/** DesiredDescription (and ClientStatus `lost`) of an allocation whose node is down or gone. */
export const STATUS_ALLOC_LOST = 'alloc is lost since its node is down';
/** DesiredDescription staged while checking whether an update fits in place. */
export const STATUS_ALLOC_IN_PLACE = 'alloc updating in-place';
/** DesiredDescription of a failed allocation that was replaced. */
export const STATUS_ALLOC_RESCHEDULED = 'alloc was rescheduled because it failed';

/** StatusDescription of a blocked evaluation created after plan conflicts. */
export const DESC_BLOCKED_EVAL_MAX_PLAN = 'created due to placement conflicts';
/** StatusDescription of a blocked evaluation created for allocations that did not fit. */
export const DESC_BLOCKED_EVAL_FAILED_PLACEMENTS = 'created to place remaining allocations';
/** StatusDescription of a follow-up evaluation for a delayed reschedule. */
export const DESC_RESCHEDULING_FOLLOWUP_EVAL = 'created for delayed rescheduling';

/** `RescheduleTracker.LastReschedule` values. */
export const LAST_RESCHEDULE_SUCCESS = 'ok';
export const LAST_RESCHEDULE_FAILED_TO_PLACE = 'no placement';

/** Failed allocations due within this window are rescheduled now (clock drift between servers). */
export const RESCHEDULE_WINDOW_NS = 1_000_000_000;
/** Delayed reschedules closer than this share one follow-up evaluation. */
export const BATCHED_FAILED_ALLOC_WINDOW_NS = 5_000_000_000;
