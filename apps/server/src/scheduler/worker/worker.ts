// Nomad's Worker (nomad/worker.go): dequeues an evaluation, runs the scheduler of its type with a
// Planner bound to that delivery, and acks it; a scheduler error nacks it (it is redelivered, and
// fails after the broker's delivery limit). Several workers may share one broker.
import { EvalStatus, type Evaluation } from '@berth/contract';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { StateStore } from '../../state/index.js';
import { BrokerError, type Dequeued, type EvalBroker } from '../broker/eval-broker.js';
import { EvalPlanner } from '../planner/eval-planner.js';
import type { PlanApplier } from '../planner/plan-applier.js';
import type { SchedulerFactory } from '../types.js';

/** The StatusDescription of an evaluation whose type no scheduler handles. */
export const unknownScheduler = (type: string): string =>
  `failed to instantiate scheduler: unknown scheduler '${type}'`;

export interface WorkerDeps {
  store: StateStore;
  broker: EvalBroker;
  applier: PlanApplier;
  /** The scheduler of each evaluation type (`service`, `batch`). */
  schedulers: Readonly<Record<string, SchedulerFactory>>;
  /** True if the evaluation was blocked and unblocked: the scheduler then sees it `blocked`. */
  wasBlocked?: (evalID: string) => boolean;
  /** Where scheduler failures are reported (default: stderr). */
  log?: (message: string, error: unknown) => void;
}

export class Worker {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly log: (message: string, error: unknown) => void;

  constructor(private readonly deps: WorkerDeps) {
    this.log = deps.log ?? ((message, error) => console.error(`scheduler: ${message}`, error));
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops dequeuing; resolves once the evaluation in hand (if any) is finished. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { broker } = this.deps;
    while (!this.abort.signal.aborted) {
      // One evaluation per turn of the event loop: with the synchronous SQLite write path a
      // backlog would otherwise run in microtasks and starve requests and heartbeat timers.
      await nextTurn();
      const dequeued = await broker.dequeue(undefined, this.abort.signal);
      if (dequeued === undefined) break;
      await this.process(dequeued);
    }
  }

  private async process({ evaluation, token }: Dequeued): Promise<void> {
    const { store, broker } = this.deps;
    try {
      // Cancelled or completed since it was queued: nothing to do.
      const current = store.evalByID(evaluation.ID);
      if (current?.Status !== EvalStatus.Pending) {
        broker.ack(evaluation.ID, token);
        return;
      }
      const planner = new EvalPlanner(
        { store, applier: this.deps.applier, outstanding: (id) => broker.outstanding(id) },
        current.ID,
        token,
      );
      const factory = this.deps.schedulers[current.Type];
      if (factory === undefined) {
        await planner.updateEval(failed(current, unknownScheduler(current.Type)));
      } else {
        const blocked = this.deps.wasBlocked?.(current.ID) ?? false;
        await factory(store, planner).process(
          blocked ? { ...current, Status: EvalStatus.Blocked } : current,
        );
      }
      broker.ack(evaluation.ID, token);
    } catch (err) {
      this.log(`evaluation ${evaluation.ID} failed`, err);
      try {
        broker.nack(evaluation.ID, token);
      } catch (nackErr) {
        // The nack timeout already gave it back.
        if (!(nackErr instanceof BrokerError)) throw nackErr;
      }
    }
  }
}

function failed(e: Evaluation, description: string): Evaluation {
  return { ...e, Status: EvalStatus.Failed, StatusDescription: description };
}
