// The node drainer (Nomad's nomad/drainer): follows the state, and for every node with a
// DrainStrategy marks its allocations for migration at their groups' pace (pacing.ts), with a
// `node-drain` evaluation per job so the scheduler places replacements elsewhere and stops the
// old ones; at the deadline it marks the rest; when nothing is left it completes the drain.
// Everything it needs is in the store, so a restarted server resumes draining where it was.
import {
  EvalStatus,
  EvalTriggeredBy,
  EvaluationSchema,
  type Allocation,
  type Evaluation,
  type Node,
} from '@berth/contract';
import { randomUUID } from 'node:crypto';
import { NodeDrainEvent, lastDrain } from '../../endpoints/nodes/drain.js';
import { withNodeEvent } from '../../endpoints/nodes/node-event.js';
import { nowNanos } from '../../endpoints/time.js';
import type { Commit } from '../../state/commit.js';
import type { StateStore, WriteTx } from '../../state/index.js';
import { drainStep, type DrainStep } from './pacing.js';

export interface NodeDrainerOptions {
  /** Now, unix ms (tests move it). */
  nowMs?: () => number;
}

/** The longest a timer is set for (Node's setTimeout limit is 2^31-1 ms); it is re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Allocations marked in one write at most (a forced drain of a large node takes a few). */
const MAX_MARKS_PER_WRITE = 500;

export class NodeDrainer {
  private unsubscribe: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly nowMs: () => number;
  /** The IDs of the nodes with a DrainStrategy, kept from the commits. */
  private readonly draining = new Set<string>();

  constructor(
    private readonly store: StateStore,
    options: NodeDrainerOptions = {},
  ) {
    this.nowMs = options.nowMs ?? Date.now;
  }

  /** Follows every commit, and drains the nodes already draining (a restart resumes them). */
  start(): void {
    for (const n of this.store.nodes()) if (n.DrainStrategy !== null) this.draining.add(n.ID);
    this.unsubscribe = this.store.onCommit((commit) => this.follow(commit));
    this.kick();
  }

  /** Stops following the state and every timer; a pass under way completes. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer !== undefined) clearTimeout(this.timer);
    while (this.running !== undefined) await this.running;
  }

  /** Resolves when no pass is under way or asked for (for tests). */
  async settled(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  private follow(commit: Commit): void {
    const isDraining = (n: Node | undefined) => n !== undefined && n.DrainStrategy !== null;
    let nodes = false;
    for (const { before, after } of commit.changes('nodes')) {
      const id = (after ?? before)?.ID;
      if (id === undefined) continue;
      if (isDraining(after)) this.draining.add(id);
      else this.draining.delete(id);
      nodes ||= isDraining(before) || isDraining(after);
    }
    // Allocation changes matter only while some node drains.
    if (nodes || (this.draining.size > 0 && commit.changes('allocs').length > 0)) this.kick();
  }

  /** Runs a pass now, or once more after the one under way. */
  private kick(): void {
    if (this.stopped) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again && !this.stopped);
      } catch (err) {
        // The state is unchanged by a failed write; the next commit or the timer retries.
        if (!this.stopped) console.error('drainer: a drain pass failed', err);
      } finally {
        this.running = undefined;
      }
    })();
  }

  /** One pass over every draining node; arms the timer for the nearest deadline. */
  private async pass(): Promise<void> {
    let nextDeadline: number | undefined;
    for (const node of this.store.nodes()) {
      if (this.stopped) return;
      if (node.DrainStrategy === null) continue;
      const step = drainStep({
        node,
        nodeAllocs: this.store.allocsByNode(node.ID),
        jobAllocs: (ns, id) => this.store.allocsByJob(ns, id),
        job: (ns, id) => this.store.jobByID(ns, id),
        nowMs: this.nowMs(),
      });
      if (step.deadlineMs !== undefined) {
        nextDeadline = Math.min(nextDeadline ?? Infinity, step.deadlineMs);
      }
      if (step.migrate.length > 0 || step.done) await this.apply(node, step);
    }
    this.arm(nextDeadline);
  }

  private arm(deadlineMs: number | undefined): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (deadlineMs === undefined || this.stopped) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, deadlineMs - this.nowMs()));
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }

  /** One write: the marks (and their evaluations), and the completion when done. */
  private async apply(node: Node, step: DrainStep): Promise<void> {
    const marks = step.migrate.slice(0, MAX_MARKS_PER_WRITE);
    const complete = step.done && marks.length === step.migrate.length;
    const now = nowNanos();
    await this.store.write((tx) => {
      const current = tx.node(node.ID);
      // Cancelled or changed since the decision: the next pass decides again.
      if (current === undefined || current.ModifyIndex !== node.ModifyIndex) return;
      const marked = markForMigration(tx, marks);
      for (const e of drainEvals(marked, node.ID, tx.index, now)) tx.upsertEval(e);
      if (complete) tx.upsertNode(completedNode(current, tx.index, now));
    });
    if (marks.length < step.migrate.length) this.again = true;
  }
}

/** Marks the allocations that are still as decided on; returns those marked. */
function markForMigration(tx: WriteTx, allocs: readonly Allocation[]): Allocation[] {
  const marked: Allocation[] = [];
  for (const decided of allocs) {
    const a = tx.alloc(decided.ID);
    if (a === undefined || a.ModifyIndex !== decided.ModifyIndex) continue;
    tx.upsertAlloc({
      ...a,
      DesiredTransition: { ...a.DesiredTransition, Migrate: true },
      ModifyIndex: tx.index,
      AllocModifyIndex: tx.index,
    });
    marked.push(a);
  }
  return marked;
}

/** One `node-drain` evaluation per job of the marked allocations. */
function drainEvals(
  marked: readonly Allocation[],
  nodeID: string,
  index: number,
  now: number,
): Evaluation[] {
  const byJob = new Map<string, Allocation>();
  for (const a of marked) byJob.set(`${a.Namespace}\u0000${a.JobID}`, a);
  return [...byJob.values()].map((a) =>
    EvaluationSchema.parse({
      ID: randomUUID(),
      Namespace: a.Namespace,
      Priority: a.Job?.Priority ?? 50,
      Type: a.Job?.Type ?? 'service',
      TriggeredBy: EvalTriggeredBy.NodeDrain,
      JobID: a.JobID,
      JobModifyIndex: a.Job?.JobModifyIndex ?? 0,
      NodeID: nodeID,
      Status: EvalStatus.Pending,
      CreateIndex: index,
      ModifyIndex: index,
      CreateTime: now,
      ModifyTime: now,
    }),
  );
}

/** The node once its drain is complete: no strategy, LastDrain complete, still ineligible. */
function completedNode(current: Node, index: number, now: number): Node {
  const nowIso = new Date(now / 1e6).toISOString();
  return {
    ...current,
    DrainStrategy: null,
    LastDrain: lastDrain(current, null, null, nowIso, true),
    Events: withNodeEvent(current.Events, NodeDrainEvent.Complete, 'Drain', index, now),
    StatusUpdatedAt: Math.floor(now / 1e9),
    ModifyIndex: index,
  };
}
