// Nomad's reapFailedEvaluations (nomad/leader.go): an evaluation nacked up to the delivery limit
// is written `failed`, with a follow-up evaluation that retries the job after a long wait.
import { EvalStatus, EvalTriggeredBy, EvaluationSchema, type Evaluation } from '@berth/contract';
import { randomUUID } from 'node:crypto';
import type { StateStore } from '../../state/index.js';
import { nowNanos } from '../../endpoints/time.js';
import { FAILED_QUEUE, type EvalBroker } from '../broker/eval-broker.js';

/** Nomad's StatusDescription of an evaluation that reached the delivery limit. */
export const deliveryLimitReached = (limit: number): string =>
  `evaluation reached delivery limit (${limit})`;

export interface FailedReaperOptions {
  deliveryLimit: number;
  /** The follow-up's wait: baseline plus a random part of range (Nomad: 1 min + up to 5 min). */
  followupBaselineMs?: number;
  followupRangeMs?: number;
}

export class FailedReaper {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly store: StateStore,
    private readonly broker: EvalBroker,
    private readonly options: FailedReaperOptions,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      const dequeued = await this.broker.dequeue([FAILED_QUEUE], this.abort.signal);
      if (dequeued === undefined) break;
      const { evaluation, token } = dequeued;
      try {
        await this.fail(evaluation);
        this.broker.ack(evaluation.ID, token);
      } catch (err) {
        console.error(`scheduler: marking evaluation ${evaluation.ID} failed`, err);
      }
    }
  }

  private async fail(e: Evaluation): Promise<void> {
    const now = nowNanos();
    const baseline = this.options.followupBaselineMs ?? 60_000;
    const range = this.options.followupRangeMs ?? 300_000;
    const waitNs = Math.floor((baseline + Math.random() * range) * 1e6);
    await this.store.write((tx) => {
      const current = tx.eval(e.ID) ?? e;
      // No follow-up for a job that is gone.
      const followup =
        tx.job(e.Namespace, e.JobID) === undefined
          ? undefined
          : followupEval(current, waitNs, now, tx.index);
      if (followup !== undefined) tx.upsertEval(followup);
      tx.upsertEval({
        ...current,
        Status: EvalStatus.Failed,
        StatusDescription: deliveryLimitReached(this.options.deliveryLimit),
        NextEval: followup?.ID ?? current.NextEval,
        ModifyIndex: tx.index,
        ModifyTime: now,
      });
    });
  }
}

/** Nomad's CreateFailedFollowUpEval: the same job, retried after `waitNs`. */
function followupEval(e: Evaluation, waitNs: number, now: number, index: number): Evaluation {
  return EvaluationSchema.parse({
    ID: randomUUID(),
    Namespace: e.Namespace,
    Priority: e.Priority,
    Type: e.Type,
    TriggeredBy: EvalTriggeredBy.FailedFollowUp,
    JobID: e.JobID,
    JobModifyIndex: e.JobModifyIndex,
    Status: EvalStatus.Pending,
    Wait: waitNs,
    PreviousEval: e.ID,
    CreateIndex: index,
    ModifyIndex: index,
    CreateTime: now,
    ModifyTime: now,
  });
}
