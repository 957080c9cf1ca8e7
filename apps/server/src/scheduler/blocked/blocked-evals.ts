// Nomad's BlockedEvals (nomad/blocked_evals.go): evaluations that could not place everything wait
// here, one per job, until room may have appeared. Berth does not track computed node classes:
// any node becoming usable or any allocation freeing room unblocks every blocked evaluation (see
// README.md). Unblocking writes the evaluation back to `pending`; the broker picks it up from the
// commit like any other.
import { EvalStatus, type Evaluation } from '@berth/contract';
import type { Commit, StateStore } from '../../state/index.js';
import { nowNanos } from '../../endpoints/time.js';
import { allocFreesRoom, nodeFreesRoom } from './triggers.js';

/** Nomad's description of a blocked evaluation replaced by a newer one of the same job. */
export const duplicateBlocked = (jobID: string): string =>
  `existing blocked evaluation exists for job "${jobID}"`;

/** The description of a blocked evaluation made useless by a later one that placed everything. */
export const NO_LONGER_BLOCKED = 'canceled after more recent eval was processed';

function jobKey(e: Evaluation): string {
  return `${e.Namespace}\u0000${e.JobID}`;
}

/** The newest state an evaluation was decided on (Nomad's latestEvalIndex). */
function latestEvalIndex(e: Evaluation): number {
  return Math.max(e.CreateIndex, e.SnapshotIndex);
}

export interface BlockedEvalsOptions {
  /** The clock of ModifyTime (unix nanoseconds). */
  now?: () => number;
}

export class BlockedEvals {
  /** The parked evaluation of each job. */
  private readonly byJob = new Map<string, Evaluation>();
  /** The index of the last write that freed room. */
  private lastUnblockIndex = 0;
  private readonly toUnblock = new Map<string, Evaluation>();
  private readonly toCancel = new Map<string, string>();
  /** Evaluations this tracker wrote back to `pending`, until a worker takes them. */
  private readonly released = new Set<string>();
  private flushing: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;
  private readonly now: () => number;

  constructor(
    private readonly store: StateStore,
    options: BlockedEvalsOptions = {},
  ) {
    this.now = options.now ?? nowNanos;
  }

  /** Parks the blocked evaluations already stored (oldest first), then follows every commit. */
  start(): void {
    for (const e of this.store.evalsByNamespace('*')) {
      if (e.Status === EvalStatus.Blocked) this.block(e);
    }
    this.unsubscribe = this.store.onCommit((commit) => this.follow(commit));
    this.flush();
  }

  /** Stops following the state; writes already started complete. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await this.flushing;
  }

  /** The parked evaluations (for tests and stats). */
  parked(): Evaluation[] {
    return [...this.byJob.values()];
  }

  /**
   * True (once) if this tracker unblocked the evaluation: the worker then hands it to the
   * scheduler as `blocked`, so that a scheduler that still cannot place everything reblocks it
   * (one blocked evaluation per job, as in Nomad) instead of creating another.
   */
  takeReleased(evalID: string): boolean {
    return this.released.delete(evalID);
  }

  /** Resolves once the writes started so far (unblocks, cancels) are done. */
  async settled(): Promise<void> {
    while (this.flushing !== undefined) await this.flushing;
  }

  private follow(commit: Commit): void {
    const freed =
      commit.changes('nodes').some(nodeFreesRoom) || commit.changes('allocs').some(allocFreesRoom);
    if (freed) {
      this.lastUnblockIndex = commit.index;
      for (const [key, e] of this.byJob) {
        this.byJob.delete(key);
        this.toUnblock.set(e.ID, e);
      }
    }
    for (const { before, after } of commit.changes('evals')) {
      const e = after ?? before;
      if (e === undefined) continue;
      if (after?.Status === EvalStatus.Blocked) {
        this.block(after);
        continue;
      }
      const parked = this.byJob.get(jobKey(e));
      if (parked?.ID === e.ID) this.byJob.delete(jobKey(e));
      // A later evaluation placed everything: the job's blocked one has nothing left to do.
      if (
        after?.Status === EvalStatus.Complete &&
        Object.keys(after.FailedTGAllocs ?? {}).length === 0 &&
        parked !== undefined &&
        parked.ID !== e.ID
      ) {
        this.byJob.delete(jobKey(e));
        this.toCancel.set(parked.ID, NO_LONGER_BLOCKED);
      }
    }
    this.flush();
  }

  /** Parks an evaluation: one per job, the newer one kept; at once unblocked if it missed room. */
  private block(e: Evaluation): void {
    const key = jobKey(e);
    const existing = this.byJob.get(key);
    if (existing !== undefined && existing.ID !== e.ID) {
      if (latestEvalIndex(existing) > latestEvalIndex(e)) {
        this.toCancel.set(e.ID, duplicateBlocked(e.JobID));
        return;
      }
      this.toCancel.set(existing.ID, duplicateBlocked(existing.JobID));
    }
    // Decided on a state older than the last freed room: it may fit now (Nomad's missedUnblock).
    const decidedAt = e.SnapshotIndex > 0 ? e.SnapshotIndex : e.CreateIndex;
    if (decidedAt < this.lastUnblockIndex) {
      this.byJob.delete(key);
      this.toUnblock.set(e.ID, e);
      return;
    }
    this.byJob.set(key, e);
  }

  /** Writes the queued unblocks and cancels in one write, after the current one. */
  private flush(): void {
    if (this.flushing !== undefined || this.stopped) return;
    if (this.toUnblock.size === 0 && this.toCancel.size === 0) return;
    this.flushing = (async () => {
      try {
        // Let the commit that queued them finish first; gather what the next ones add.
        await Promise.resolve();
        const unblock = [...this.toUnblock.keys()];
        const cancel = [...this.toCancel];
        this.toUnblock.clear();
        this.toCancel.clear();
        const stillBlocked = (id: string) => this.store.evalByID(id)?.Status === EvalStatus.Blocked;
        if (!unblock.some(stillBlocked) && !cancel.some(([id]) => stillBlocked(id))) return;
        const now = this.now();
        // Recorded before the write: a worker may dequeue them as soon as it commits.
        for (const id of unblock) this.released.add(id);
        await this.store.write((tx) => {
          const set = (id: string, status: EvalStatus, description?: string) => {
            const current = tx.eval(id);
            if (current?.Status !== EvalStatus.Blocked) return;
            tx.upsertEval({
              ...current,
              Status: status,
              StatusDescription: description ?? current.StatusDescription,
              ModifyIndex: tx.index,
              ModifyTime: now,
            });
          };
          for (const [id, description] of cancel) set(id, EvalStatus.Canceled, description);
          for (const id of unblock) {
            if (tx.eval(id)?.Status !== EvalStatus.Blocked) this.released.delete(id);
            set(id, EvalStatus.Pending);
          }
        });
      } catch (err) {
        if (!this.stopped) console.error('scheduler: writing blocked evaluations failed', err);
      } finally {
        this.flushing = undefined;
      }
      this.flush();
    })();
  }
}
