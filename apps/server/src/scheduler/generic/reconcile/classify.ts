// Nomad's allocation filters (scheduler/reconciler/filters.go), for what berth models: no
// deployments, canaries or disconnect blocks. Sorts a group's allocations into untainted,
// migrate, lost and ignored, and finds the failed ones to reschedule now or later.
import type { Allocation, Node } from '@berth/contract';

import {
  clientTerminal,
  lastRescheduleFailed,
  ranSuccessfully,
  serverTerminal,
  terminal,
} from '../alloc/status.js';
import { RESCHEDULE_WINDOW_NS } from '../constants.js';
import { nextRescheduleTime } from './reschedule.js';

export type AllocSet = Map<string, Allocation>;

export function setOf(allocs: Iterable<Allocation>): AllocSet {
  const set: AllocSet = new Map();
  for (const a of allocs) set.set(a.ID, a);
  return set;
}

/** Drops server-terminal allocations, except batch ones not asked to reschedule (they count). */
export function filterServerTerminal(set: AllocSet): AllocSet {
  const out: AllocSet = new Map();
  for (const [id, a] of set) {
    if (
      !serverTerminal(a) ||
      (a.Job?.Type === 'batch' && a.DesiredTransition.Reschedule !== true)
    ) {
      out.set(id, a);
    }
  }
  return out;
}

export interface Classified {
  untainted: AllocSet;
  migrate: AllocSet;
  lost: AllocSet;
  ignore: AllocSet;
}

/** Nomad's classifyAllocs, first matching rule wins. */
export function classify(set: AllocSet, tainted: ReadonlyMap<string, Node | null>): Classified {
  const out: Classified = {
    untainted: new Map(),
    migrate: new Map(),
    lost: new Map(),
    ignore: new Map(),
  };
  for (const [id, a] of set) {
    const isTainted = tainted.has(a.NodeID);
    const node = tainted.get(a.NodeID);
    let bucket: AllocSet;
    if (terminal(a) && serverTerminal(a)) bucket = out.ignore;
    else if (terminal(a)) bucket = out.untainted;
    else if (node?.Status === 'disconnected')
      bucket = out.lost; // no disconnect block: lost
    else if (a.DesiredTransition.Migrate === true) bucket = out.migrate;
    else if (!isTainted || node?.Status === 'ready') bucket = out.untainted;
    else bucket = out.lost; // node down or gone
    bucket.set(id, a);
  }
  return out;
}

// Nomad's shouldFilter: [counts as untainted, ignore entirely].
function shouldFilter(a: Allocation, batch: boolean): [boolean, boolean] {
  if (batch) {
    if (a.DesiredTransition.Reschedule === true) return [false, false];
    if (a.DesiredStatus === 'stop') {
      if (ranSuccessfully(a)) return [true, false];
      if (lastRescheduleFailed(a)) return [false, false];
      return [false, true];
    }
    if (a.DesiredStatus === 'evict') return [false, true];
    if (a.ClientStatus === 'failed') return [false, false];
    return [true, false];
  }
  if (serverTerminal(a)) return [false, !lastRescheduleFailed(a)];
  if (a.ClientStatus === 'complete' || a.ClientStatus === 'lost') return [false, true];
  return [false, false];
}

export interface DelayedReschedule {
  alloc: Allocation;
  /** Unix nanoseconds. */
  time: number;
}

export interface Rescheduleable {
  untainted: AllocSet;
  now: AllocSet;
  later: DelayedReschedule[];
}

/**
 * Nomad's filterByRescheduleable: failed allocations due now (or whose follow-up evaluation this
 * is) are replaced now; those due later stay counted and get a follow-up evaluation; the rest
 * stay untainted.
 */
export function filterByRescheduleable(
  set: AllocSet,
  batch: boolean,
  now: number,
  evalID: string,
): Rescheduleable {
  const out: Rescheduleable = { untainted: new Map(), now: new Map(), later: [] };
  for (const [id, a] of set) {
    // Already replaced: neither counted nor replaced again.
    if (a.NextAllocation !== '' && terminal(a)) continue;
    const [untainted, ignore] = shouldFilter(a, batch);
    if (untainted) {
      out.untainted.set(id, a);
      continue;
    }
    if (ignore) continue;
    let rescheduleNow = a.DesiredTransition.ForceReschedule === true && clientTerminal(a);
    let later = false;
    const next = nextRescheduleTime(a);
    if (next.eligible && (a.FollowupEvalID === evalID || next.time - now <= RESCHEDULE_WINDOW_NS)) {
      rescheduleNow = true;
    } else if (next.eligible && a.FollowupEvalID === '') {
      later = true;
    }
    if (rescheduleNow) {
      out.now.set(id, a);
      continue;
    }
    out.untainted.set(id, a);
    if (later) out.later.push({ alloc: a, time: next.time });
  }
  return out;
}
