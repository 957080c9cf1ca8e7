import type { Evaluation } from '@berth/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStateStore, type StateStore } from '../../state/index.js';
import { seed } from '../../test-support/harness.js';
import { mockEval, mockJob, mockNode } from '../../test-support/mock.js';
import { createTinyScheduler } from '../../test-support/tiny-scheduler.js';
import { waitForState } from '../../test-support/wait-for-state.js';
import { startScheduling, type Scheduling, type SchedulingOptions } from '../index.js';
import type { SchedulerFactory } from '../types.js';
import { unknownScheduler } from './worker.js';

let store: StateStore;
let scheduling: Scheduling | undefined;

beforeEach(() => {
  store = openStateStore({ inMemory: true, freeze: true });
});

afterEach(async () => {
  await scheduling?.stop();
  scheduling = undefined;
  store.close();
});

function start(options: Partial<SchedulingOptions> = {}): Scheduling {
  scheduling = startScheduling(store, {
    schedulers: { service: createTinyScheduler, batch: createTinyScheduler },
    broker: { initialNackDelayMs: 0, subsequentNackDelayMs: 0 },
    ...options,
  });
  return scheduling;
}

const evalIs = (id: string, status: Evaluation['Status']) => () =>
  store.evalByID(id)?.Status === status;

describe('worker', () => {
  it('processes an evaluation written pending, without anyone calling the broker', async () => {
    start();
    const job = mockJob({ TaskGroups: [{ ...mockJob().TaskGroups![0]!, Count: 3 }] });
    const ev = mockEval({ JobID: job.ID });
    await seed(store, { nodes: [mockNode()], jobs: [job], evals: [ev] });
    await waitForState(store, evalIs(ev.ID, 'complete'));
    const allocs = store.allocsByJob(job.Namespace, job.ID);
    expect(allocs).toHaveLength(3);
    expect(allocs.every((a) => a.EvalID === ev.ID)).toBe(true);
    expect(store.evalByID(ev.ID)?.ModifyIndex).toBeGreaterThan(allocs[0]!.CreateIndex);
  });

  it('processes the pending evaluations already stored when it starts', async () => {
    const job = mockJob();
    const ev = mockEval({ JobID: job.ID });
    await seed(store, { nodes: [mockNode()], jobs: [job], evals: [ev] });
    start();
    await waitForState(store, evalIs(ev.ID, 'complete'));
  });

  it('fails an evaluation of a type no scheduler handles, saying so', async () => {
    start();
    const ev = mockEval({ Type: 'system' });
    await seed(store, { evals: [ev] });
    await waitForState(store, evalIs(ev.ID, 'failed'));
    expect(store.evalByID(ev.ID)?.StatusDescription).toBe(unknownScheduler('system'));
    expect(store.evalByID(ev.ID)?.StatusDescription).toBe(
      "failed to instantiate scheduler: unknown scheduler 'system'",
    );
  });

  it('redelivers an evaluation whose scheduler fails, then fails it with a delayed follow-up', async () => {
    let runs = 0;
    const failing: SchedulerFactory = () => ({
      process: () => {
        runs++;
        return Promise.reject(new Error('boom'));
      },
    });
    start({
      schedulers: { service: failing },
      broker: { initialNackDelayMs: 0, subsequentNackDelayMs: 0, deliveryLimit: 3 },
    });
    const quiet = console.error;
    console.error = () => {};
    try {
      const job = mockJob();
      const ev = mockEval({ JobID: job.ID });
      await seed(store, { jobs: [job], evals: [ev] });
      await waitForState(store, evalIs(ev.ID, 'failed'));
      const failed = store.evalByID(ev.ID)!;
      expect(runs).toBe(3);
      expect(failed.StatusDescription).toBe('evaluation reached delivery limit (3)');
      const followup = store.evalByID(failed.NextEval)!;
      expect(followup).toMatchObject({
        Status: 'pending',
        TriggeredBy: 'failed-follow-up',
        PreviousEval: ev.ID,
        JobID: job.ID,
      });
      expect(followup.Wait).toBeGreaterThanOrEqual(60e9);
      // The follow-up waits (Nomad: at least a minute), so it has not run yet.
      expect(runs).toBe(3);
    } finally {
      console.error = quiet;
    }
  });

  it('runs one evaluation of a job at a time, and skips the ones a newer evaluation made useless', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: string[] = [];
    const slow: SchedulerFactory = (state, planner) => ({
      async process(e) {
        inFlight++;
        most = Math.max(most, inFlight);
        seen.push(e.ID);
        await new Promise((r) => setImmediate(r));
        await planner.updateEval({ ...e, Status: 'complete' });
        inFlight--;
      },
    });
    start({ schedulers: { service: slow }, workers: 3 });
    const job = mockJob();
    const [a, b, c] = [1, 2, 3].map(() => mockEval({ JobID: job.ID }));
    await seed(store, { jobs: [job], evals: [a!] });
    await seed(store, { evals: [b!] });
    await seed(store, { evals: [c!] });
    await waitForState(store, () => evalIs(c!.ID, 'complete')() && evalIs(b!.ID, 'canceled')());
    expect(most).toBe(1);
    expect(seen).toEqual([a!.ID, c!.ID]);
    expect(store.evalByID(b!.ID)?.StatusDescription).toBe(
      'canceled after more recent eval was processed',
    );
  });
});
