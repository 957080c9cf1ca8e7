// Nomad's AllocReconciler (scheduler/reconciler/reconcile_cluster.go) without deployments,
// canaries or disconnect handling: compares a job with its allocations and decides, per task
// group, what to place, stop, update in place or replace.
import type { Allocation, DesiredUpdates, Evaluation, Job, TaskGroup } from '@berth/contract';
import { EvaluationSchema } from '@berth/contract';
import { randomUUID } from 'node:crypto';

import { allocIndexFromName, terminal } from '../alloc/status.js';
import {
  BATCHED_FAILED_ALLOC_WINDOW_NS,
  DESC_RESCHEDULING_FOLLOWUP_EVAL,
  STATUS_ALLOC_LOST,
  STATUS_ALLOC_MIGRATING,
  STATUS_ALLOC_NOT_NEEDED,
  STATUS_ALLOC_RESCHEDULED,
  STATUS_ALLOC_UPDATING,
} from '../constants.js';
import { rfc3339FromNanos } from '../time.js';
import { AllocNameIndex } from './alloc-name-index.js';
import {
  classify,
  filterByRescheduleable,
  filterServerTerminal,
  type AllocSet,
  type DelayedReschedule,
} from './classify.js';
import type { PlaceResult, ReconcileInput, ReconcileResult, StopResult } from './types.js';

function stopResult(alloc: Allocation, description: string, clientStatus = ''): StopResult {
  return { alloc, description, clientStatus, followupEvalID: '' };
}

function union(...sets: AllocSet[]): AllocSet {
  const out: AllocSet = new Map();
  for (const s of sets) for (const [id, a] of s) out.set(id, a);
  return out;
}

/** Allocations by their name index, lowest first (Nomad's nameOrder). */
function nameOrder(set: AllocSet, jobID: string, group: string): Allocation[] {
  const index = (a: Allocation) => allocIndexFromName(a.Name, jobID, group);
  return [...set.values()].sort((a, b) => index(a) - index(b));
}

/** Nothing decided yet for a group (Nomad's zero DesiredUpdates). */
function noUpdates(): DesiredUpdates {
  return {
    Ignore: 0,
    Place: 0,
    Migrate: 0,
    Stop: 0,
    InPlaceUpdate: 0,
    DestructiveUpdate: 0,
    Canary: 0,
    Preemptions: 0,
    Disconnect: 0,
    Reconnect: 0,
    RescheduleNow: 0,
    RescheduleLater: 0,
  };
}

/** Groups allocations by task group, with an empty set for every group of the job. */
function matrix(job: Job | null, allocs: readonly Allocation[]): Map<string, AllocSet> {
  const m = new Map<string, AllocSet>();
  for (const a of allocs) {
    let set = m.get(a.TaskGroup);
    if (set === undefined) {
      set = new Map();
      m.set(a.TaskGroup, set);
    }
    set.set(a.ID, a);
  }
  for (const tg of job?.TaskGroups ?? []) if (!m.has(tg.Name)) m.set(tg.Name, new Map());
  return m;
}

export async function reconcile(input: ReconcileInput): Promise<ReconcileResult> {
  const result: ReconcileResult = {
    place: [],
    destructive: [],
    inplace: [],
    stop: [],
    attributeUpdates: [],
    followupEvals: [],
    nameIndexes: new Map(),
    desiredTGUpdates: new Map(),
  };
  const m = matrix(input.job, input.allocs);
  const job = input.job;
  if (job === null || job.Stop) {
    for (const [group, set] of m) {
      const live = new Map([...set].filter(([, a]) => !terminal(a)));
      stopAll(live, input, STATUS_ALLOC_NOT_NEEDED, result);
      result.desiredTGUpdates.set(group, { ...noUpdates(), Stop: live.size });
    }
    return result;
  }
  for (const [group, set] of m) await computeGroup(job, group, set, input, result);
  return result;
}

function stopAll(
  set: AllocSet,
  input: ReconcileInput,
  description: string,
  result: ReconcileResult,
): void {
  const c = classify(set, input.tainted);
  for (const a of [...c.untainted.values(), ...c.migrate.values()])
    result.stop.push(stopResult(a, description));
  for (const a of c.lost.values()) result.stop.push(stopResult(a, STATUS_ALLOC_LOST, 'lost'));
}

async function computeGroup(
  job: Job,
  group: string,
  allocs: AllocSet,
  input: ReconcileInput,
  result: ReconcileResult,
): Promise<void> {
  const tg = job.TaskGroups?.find((g) => g.Name === group);
  let all = filterServerTerminal(allocs);
  // Counted as Nomad's computeGroup counts them (see ReconcileResult.desiredTGUpdates).
  const desired = noUpdates();
  result.desiredTGUpdates.set(group, desired);
  if (tg === undefined || tg.Count === 0) {
    stopAll(all, input, STATUS_ALLOC_NOT_NEEDED, result);
    desired.Stop = all.size;
    return;
  }
  if (input.batch) {
    const before = all.size;
    // Terminal batch allocations of older job versions no longer count.
    all = new Map(
      [...all].filter(
        ([, a]) =>
          !(
            terminal(a) &&
            ((a.Job?.Version ?? 0) < job.Version || (a.Job?.CreateIndex ?? 0) < job.CreateIndex)
          ),
      ),
    );
    desired.Ignore += before - all.size;
  }

  await input.pause?.();
  const classified = classify(all, input.tainted);
  desired.Ignore += classified.ignore.size;
  const { lost } = classified;
  const migrate = classified.migrate;
  const resched = filterByRescheduleable(
    classified.untainted,
    input.batch,
    input.now,
    input.evalID,
  );
  const migResched = filterByRescheduleable(migrate, input.batch, input.now, input.evalID);
  await input.pause?.();
  let untainted = resched.untainted;
  const rescheduleNow = union(resched.now, migResched.now);
  const rescheduleLater = [...resched.later, ...migResched.later];

  if (rescheduleLater.length > 0) {
    const followups = createLaterEvals(rescheduleLater, job, input);
    for (const { alloc } of rescheduleLater) {
      const evalID = followups.byAlloc.get(alloc.ID) ?? '';
      const migrating = migrate.get(alloc.ID);
      if (migrating !== undefined) migrate.set(alloc.ID, { ...migrating, FollowupEvalID: evalID });
      else result.attributeUpdates.push({ ...alloc, FollowupEvalID: evalID });
    }
    result.followupEvals.push(...followups.evals);
    desired.RescheduleLater = rescheduleLater.length;
  }

  const nameIndex = new AllocNameIndex(
    input.jobID,
    group,
    tg.Count,
    union(untainted, migrate, rescheduleNow, lost).values(),
  );
  result.nameIndexes.set(group, nameIndex);
  await input.pause?.();

  const stopsBefore = result.stop.length;
  untainted = computeStop(tg, nameIndex, untainted, migrate, lost, input, result);
  desired.Stop += result.stop.length - stopsBefore;

  // In-place updates where possible; the rest are destructive.
  const destructive: AllocSet = new Map();
  for (const a of untainted.values()) {
    await input.pause?.();
    const update = input.allocUpdateFn(a, job, tg);
    if (update.kind === 'destructive') destructive.set(a.ID, a);
    else if (update.kind === 'inplace') {
      result.inplace.push(update.updated);
      desired.InPlaceUpdate++;
    } else desired.Ignore++;
  }

  const groupPlace = computePlacements(tg, nameIndex, untainted, migrate, rescheduleNow, lost);
  desired.Place += groupPlace.length;
  // Failed allocations that are replaced now are stopped (not the migrating ones: see below).
  for (const a of rescheduleNow.values()) {
    if (migrate.has(a.ID)) continue;
    result.stop.push(stopResult(a, STATUS_ALLOC_RESCHEDULED));
    desired.Stop++;
  }
  const underProvisionedBy = tg.Count - Math.min(groupPlace.length, tg.Count);
  const replaced = Math.min(destructive.size, Math.max(0, underProvisionedBy));
  desired.DestructiveUpdate += replaced;
  desired.Ignore += destructive.size - replaced;
  for (const a of nameOrder(destructive, input.jobID, group).slice(0, replaced)) {
    result.destructive.push({
      name: a.Name,
      taskGroup: tg,
      previousAlloc: a,
      reschedule: false,
      lost: false,
      stopPrevious: STATUS_ALLOC_UPDATING,
    });
  }

  // Migrations: stop the allocation and place a replacement (a batch allocation stopped with
  // reschedule=true is placed by the reschedule rules instead).
  desired.Migrate += migrate.size;
  for (const a of nameOrder(migrate, input.jobID, group)) {
    result.stop.push({
      ...stopResult(a, STATUS_ALLOC_MIGRATING),
      followupEvalID: a.FollowupEvalID,
    });
    if (a.Job?.Type === 'batch' && a.DesiredTransition.Reschedule === true) continue;
    groupPlace.push({
      name: a.Name,
      taskGroup: tg,
      previousAlloc: a,
      reschedule: false,
      lost: false,
    });
  }
  // Never more placements than the count.
  if (groupPlace.length > tg.Count) desired.Place = tg.Count;
  result.place.push(...groupPlace.slice(0, tg.Count));
}

/** Stops lost allocations and those above the count; returns the untainted that remain. */
function computeStop(
  tg: TaskGroup,
  nameIndex: AllocNameIndex,
  untainted: AllocSet,
  migrate: AllocSet,
  lost: AllocSet,
  input: ReconcileInput,
  result: ReconcileResult,
): AllocSet {
  const stop = new Set<string>(lost.keys());
  for (const a of lost.values()) result.stop.push(stopResult(a, STATUS_ALLOC_LOST, 'lost'));
  const remaining = (): AllocSet => new Map([...untainted].filter(([id]) => !stop.has(id)));

  const known = [...untainted.values()].filter((a) => a.ClientStatus !== 'unknown').length;
  let remove = known + migrate.size - tg.Count;
  if (remove <= 0) return remaining();

  const working = new Map([...untainted].filter(([, a]) => a.DesiredStatus === 'run'));
  const stopOne = (a: Allocation): boolean => {
    stop.add(a.ID);
    working.delete(a.ID);
    result.stop.push(stopResult(a, STATUS_ALLOC_NOT_NEEDED));
    return --remove === 0;
  };

  // Prefer stopping migrating allocations over running ones.
  if (migrate.size > 0) {
    const names = new AllocNameIndex(input.jobID, tg.Name, tg.Count, migrate.values()).highest(
      remove,
    );
    for (const [id, a] of migrate) {
      if (!names.has(a.Name)) continue;
      migrate.delete(id);
      nameIndex.unset(allocIndexFromName(a.Name, input.jobID, tg.Name));
      if (stopOne(a)) return remaining();
    }
  }
  // Then the highest indexes.
  const names = nameIndex.highest(remove);
  for (const a of [...working.values()]) {
    if (names.has(a.Name) && stopOne(a)) return remaining();
  }
  // Duplicate names can leave too many: stop any.
  for (const a of [...working.values()]) if (stopOne(a)) return remaining();
  return remaining();
}

/** Nomad's computePlacements: replacements for failed and lost allocations, then new names. */
function computePlacements(
  tg: TaskGroup,
  nameIndex: AllocNameIndex,
  untainted: AllocSet,
  migrate: AllocSet,
  reschedule: AllocSet,
  lost: AllocSet,
): PlaceResult[] {
  const place: PlaceResult[] = [];
  for (const a of reschedule.values()) {
    place.push({ name: a.Name, taskGroup: tg, previousAlloc: a, reschedule: true, lost: false });
  }
  let existing = untainted.size + migrate.size + reschedule.size;
  for (const a of lost.values()) {
    if (existing >= tg.Count) break;
    existing++;
    place.push({ name: a.Name, taskGroup: tg, previousAlloc: a, reschedule: false, lost: true });
  }
  if (existing < tg.Count) {
    for (const name of nameIndex.next(tg.Count - existing)) {
      place.push({ name, taskGroup: tg, reschedule: false, lost: false });
    }
  }
  return place;
}

/**
 * Follow-up evaluations for delayed reschedules, one per 5-second window (Nomad's
 * createLaterEvals), and which one each allocation waits for.
 */
function createLaterEvals(
  later: DelayedReschedule[],
  job: Job,
  input: ReconcileInput,
): { evals: Evaluation[]; byAlloc: Map<string, string> } {
  const sorted = [...later].sort((a, b) => a.time - b.time);
  const evals: Evaluation[] = [];
  const byAlloc = new Map<string, string>();
  let current: Evaluation | undefined;
  let windowStart = 0;
  for (const { alloc, time } of sorted) {
    if (current === undefined || time - windowStart >= BATCHED_FAILED_ALLOC_WINDOW_NS) {
      windowStart = time;
      current = EvaluationSchema.parse({
        ID: randomUUID(),
        Namespace: job.Namespace,
        Priority: input.evalPriority,
        Type: job.Type,
        TriggeredBy: 'alloc-failure',
        JobID: job.ID,
        JobModifyIndex: job.ModifyIndex,
        Status: 'pending',
        StatusDescription: DESC_RESCHEDULING_FOLLOWUP_EVAL,
        WaitUntil: rfc3339FromNanos(time),
        CreateTime: input.now,
        ModifyTime: input.now,
      });
      evals.push(current);
    }
    byAlloc.set(alloc.ID, current.ID);
  }
  return { evals, byAlloc };
}
