import type { Evaluation } from '@berth/contract';
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockEval } from '../../test-support/mock.js';
import { BrokerError, EvalBroker, FAILED_QUEUE, type EvalBrokerOptions } from './eval-broker.js';

let broker: EvalBroker;
let createIndex = 100;

function make(options: EvalBrokerOptions = {}): EvalBroker {
  broker = new EvalBroker({ initialNackDelayMs: 0, subsequentNackDelayMs: 0, ...options });
  return broker;
}

function ev(overrides: Partial<Evaluation> = {}): Evaluation {
  createIndex++;
  return mockEval({ CreateIndex: createIndex, ModifyIndex: createIndex, ...overrides });
}

/** Dequeues what is ready now (never waits). */
async function take(schedulers?: string[]) {
  const abort = new AbortController();
  const got = broker.dequeue(schedulers, abort.signal);
  abort.abort();
  return got;
}

afterEach(() => {
  broker.stop();
  vi.useRealTimers();
});

describe('ready queue', () => {
  it('hands out higher priority first, then older first', async () => {
    make();
    const low = ev({ Priority: 20 });
    const highOld = ev({ Priority: 80 });
    const highNew = ev({ Priority: 80 });
    const mid = ev({ Priority: 50 });
    for (const e of [low, highNew, mid, highOld]) broker.enqueue(e);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const got = await take();
      order.push(got!.evaluation.ID);
      broker.ack(got!.evaluation.ID, got!.token);
    }
    expect(order).toEqual([highOld.ID, highNew.ID, mid.ID, low.ID]);
  });

  it('ignores an evaluation enqueued twice', () => {
    make();
    const e = ev();
    broker.enqueue(e);
    broker.enqueue(e);
    expect(broker.stats().ready).toBe(1);
  });

  it('wakes a waiting dequeue when an evaluation arrives', async () => {
    make();
    const waiting = broker.dequeue();
    const e = ev();
    broker.enqueue(e);
    expect((await waiting)?.evaluation.ID).toBe(e.ID);
  });

  it('serves only the schedulers asked for', async () => {
    make();
    const batch = ev({ Type: 'batch' });
    broker.enqueue(batch);
    expect(await take(['service'])).toBeUndefined();
    expect((await take(['batch']))?.evaluation.ID).toBe(batch.ID);
  });

  it('leaves no listener on a long-lived abort signal after dequeues that got an evaluation', async () => {
    make();
    const life = new AbortController();
    for (let i = 0; i < 20; i++) {
      const waiting = broker.dequeue(undefined, life.signal);
      const e = ev();
      broker.enqueue(e);
      const got = await waiting;
      broker.ack(e.ID, got!.token);
    }
    expect(getEventListeners(life.signal, 'abort')).toHaveLength(0);
  });

  it('resolves waiting dequeues with nothing when stopped', async () => {
    make();
    const waiting = broker.dequeue();
    broker.stop();
    expect(await waiting).toBeUndefined();
  });
});

describe('one evaluation per job at a time', () => {
  it('holds a job’s later evaluations until the one in flight is acked', async () => {
    make();
    const first = ev({ JobID: 'web' });
    const second = ev({ JobID: 'web' });
    const other = ev({ JobID: 'api' });
    broker.enqueue(first);
    broker.enqueue(second);
    broker.enqueue(other);
    const a = await take();
    const b = await take();
    expect([a?.evaluation.ID, b?.evaluation.ID]).toEqual([first.ID, other.ID]);
    expect(await take()).toBeUndefined();
    expect(broker.stats()).toMatchObject({ unacked: 2, pending: 1 });

    broker.ack(first.ID, a!.token);
    expect((await take())?.evaluation.ID).toBe(second.ID);
  });

  it('keeps only the newest waiting evaluation of a job, and hands the others to cancel', async () => {
    const cancelled: string[] = [];
    make({ onCancelable: (evals) => cancelled.push(...evals.map((e) => e.ID)) });
    const first = ev({ JobID: 'web' });
    const older = ev({ JobID: 'web' });
    const newer = ev({ JobID: 'web' });
    for (const e of [first, older, newer]) broker.enqueue(e);
    const a = await take();
    broker.ack(a!.evaluation.ID, a!.token);
    expect(cancelled).toEqual([older.ID]);
    expect((await take())?.evaluation.ID).toBe(newer.ID);
    expect(await take()).toBeUndefined();
  });

  it('frees the job when its ready evaluation is forgotten (no longer pending in the state)', async () => {
    make();
    const first = ev({ JobID: 'web' });
    const second = ev({ JobID: 'web' });
    broker.enqueue(first);
    broker.enqueue(second);
    broker.forget(first.ID);
    expect((await take())?.evaluation.ID).toBe(second.ID);
  });

  it('re-enqueues an evaluation written pending again while in flight, once acked', async () => {
    make();
    const e = ev();
    broker.enqueue(e);
    const a = await take();
    broker.enqueue({ ...e, ModifyIndex: e.ModifyIndex + 1 });
    expect(await take()).toBeUndefined();
    broker.ack(e.ID, a!.token);
    expect((await take())?.evaluation.ModifyIndex).toBe(e.ModifyIndex + 1);
  });
});

describe('delays', () => {
  it('holds an evaluation with WaitUntil in the future until that time', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    make();
    const later = ev({ WaitUntil: '2026-01-01T00:00:30Z' });
    const now = ev({ WaitUntil: '2025-12-31T23:59:00Z' });
    broker.enqueue(later);
    broker.enqueue(now);
    expect((await take())?.evaluation.ID).toBe(now.ID);
    expect(await take()).toBeUndefined();
    expect(broker.stats().delayed).toBe(1);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(await take()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await take())?.evaluation.ID).toBe(later.ID);
  });

  it('treats Go’s zero time as no wait', async () => {
    make();
    broker.enqueue(ev({ WaitUntil: '0001-01-01T00:00:00Z' }));
    expect(await take()).toBeDefined();
  });

  it('waits out delays longer than a Node timer holds (about 24.8 days) instead of firing at once', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      make();
      const day = 24 * 3600 * 1000;
      broker.enqueue(ev({ WaitUntil: new Date(Date.now() + 40 * day).toISOString() }));
      broker.enqueue(ev({ Wait: 30 * day * 1e6 }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await take()).toBeUndefined();
      expect(broker.stats().delayed).toBe(1);
      expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('drops a delayed evaluation that is forgotten', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    make();
    const later = ev({ WaitUntil: '2026-01-01T00:00:30Z' });
    broker.enqueue(later);
    broker.forget(later.ID);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await take()).toBeUndefined();
  });
});

describe('ack, nack and redelivery', () => {
  it('rejects an ack with a wrong token or for an unknown evaluation', async () => {
    make();
    const e = ev();
    broker.enqueue(e);
    const got = await take();
    expect(() => broker.ack(e.ID, 'nope')).toThrow(BrokerError);
    expect(() => broker.ack('unknown', got!.token)).toThrow('Evaluation ID not found');
    broker.ack(e.ID, got!.token);
    expect(() => broker.ack(e.ID, got!.token)).toThrow('Evaluation ID not found');
  });

  it('redelivers a nacked evaluation, then moves it to the failed queue at the delivery limit', async () => {
    make({ deliveryLimit: 3 });
    const e = ev();
    broker.enqueue(e);
    for (let i = 0; i < 3; i++) {
      const got = await take();
      expect(got?.evaluation.ID).toBe(e.ID);
      broker.nack(e.ID, got!.token);
    }
    expect(await take()).toBeUndefined();
    const failed = await take([FAILED_QUEUE]);
    expect(failed?.evaluation.ID).toBe(e.ID);
    broker.ack(e.ID, failed!.token);
    expect(broker.stats()).toEqual({ ready: 0, unacked: 0, pending: 0, delayed: 0, waiting: 0 });
  });

  it('waits before redelivering: the first delay, then compounding ones', async () => {
    vi.useFakeTimers();
    make({ initialNackDelayMs: 1_000, subsequentNackDelayMs: 20_000, deliveryLimit: 5 });
    const e = ev();
    broker.enqueue(e);
    let got = await take();
    broker.nack(e.ID, got!.token);
    expect(await take()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    got = await take();
    expect(got?.evaluation.ID).toBe(e.ID);
    broker.nack(e.ID, got!.token);
    await vi.advanceTimersByTimeAsync(19_999);
    expect(await take()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect((await take())?.evaluation.ID).toBe(e.ID);
  });

  it('nacks an evaluation its worker held past the nack timeout', async () => {
    vi.useFakeTimers();
    make({ nackTimeoutMs: 60_000 });
    const e = ev();
    broker.enqueue(e);
    const got = await take();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(broker.outstanding(e.ID)).toBeUndefined();
    expect(() => broker.ack(e.ID, got!.token)).toThrow(BrokerError);
    const again = await take();
    expect(again?.evaluation.ID).toBe(e.ID);
    expect(again?.token).not.toBe(got?.token);
  });

  it('keeps the job held while a nacked evaluation waits for redelivery', async () => {
    vi.useFakeTimers();
    make({ initialNackDelayMs: 1_000 });
    const first = ev({ JobID: 'web' });
    const second = ev({ JobID: 'web' });
    broker.enqueue(first);
    broker.enqueue(second);
    const got = await take();
    broker.nack(first.ID, got!.token);
    expect(await take()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await take())?.evaluation.ID).toBe(first.ID);
  });
});
