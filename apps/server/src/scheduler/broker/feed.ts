// How the broker learns of evaluations: from the state store, as Nomad's FSM enqueues every
// pending evaluation it applies. Endpoints only write evaluations; nothing calls the broker.
import { EvalStatus, type Evaluation } from '@berth/contract';
import type { StateStore } from '../../state/index.js';
import { nowNanos } from '../../endpoints/time.js';
import type { EvalBroker } from './eval-broker.js';

/** Nomad's description of an evaluation made useless by a newer one of the same job. */
export const CANCELED_AFTER_NEWER = 'canceled after more recent eval was processed';

/**
 * Enqueues every pending evaluation already stored (oldest first), then follows each commit:
 * pending evaluations are enqueued, others are forgotten. Returns the function that stops
 * following.
 */
export function feedBroker(store: StateStore, broker: EvalBroker): () => void {
  for (const e of store.evalsByNamespace('*')) {
    if (e.Status === EvalStatus.Pending) broker.enqueue(e);
  }
  return store.onCommit((commit) => {
    for (const { after, before } of commit.changes('evals')) {
      if (after === undefined) {
        if (before !== undefined) broker.forget(before.ID);
      } else if (after.Status === EvalStatus.Pending) {
        broker.enqueue(after);
      } else {
        broker.forget(after.ID);
      }
    }
  });
}

/**
 * Writes `canceled` the evaluations the broker found superseded (those still pending), in one
 * write. Errors are logged: the evaluations then stay pending until the next start.
 */
export function cancelSuperseded(store: StateStore, evaluations: Evaluation[]): Promise<void> {
  const now = nowNanos();
  if (!evaluations.some((e) => store.evalByID(e.ID)?.Status === EvalStatus.Pending)) {
    return Promise.resolve();
  }
  return store
    .write((tx) => {
      for (const e of evaluations) {
        const current = tx.eval(e.ID);
        if (current?.Status !== EvalStatus.Pending) continue;
        tx.upsertEval({
          ...current,
          Status: EvalStatus.Canceled,
          StatusDescription: CANCELED_AFTER_NEWER,
          ModifyIndex: tx.index,
          ModifyTime: now,
        });
      }
    })
    .then(
      () => undefined,
      (err: unknown) => {
        console.error('scheduler: cancelling superseded evaluations failed', err);
      },
    );
}
