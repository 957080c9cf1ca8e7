import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openStateStore, type StateStore } from './index.js';
import { alloc, evaluation, job, node, uuid } from './test-support/fixtures.js';

let store: StateStore;

beforeEach(() => {
  store = openStateStore({ inMemory: true });
});

afterEach(() => {
  store.close();
});

/** Settles to 'woken', 'aborted' or 'pending' (still waiting after the writes so far). */
async function state(p: Promise<boolean>): Promise<'woken' | 'aborted' | 'pending'> {
  const pending = Symbol('pending');
  const result = await Promise.race([p, new Promise((r) => setTimeout(() => r(pending), 20))]);
  return result === pending ? 'pending' : result ? 'woken' : 'aborted';
}

describe('watches', () => {
  it('wakes a read of one allocation only when that allocation changes', async () => {
    const a = alloc();
    const b = alloc();
    await store.write((tx) => {
      tx.upsertAlloc(a);
      tx.upsertAlloc(b);
    });
    const ws = store.newWatchSet();
    const at = store.latestIndex();
    store.allocByID(a.ID, ws);
    const wait = store.waitForChange(ws, at);

    await store.write((tx) => tx.upsertAlloc({ ...b, ClientStatus: 'running' }));
    await store.write((tx) => tx.upsertEval(evaluation()));
    expect(await state(wait)).toBe('pending');

    await store.write((tx) => tx.upsertAlloc({ ...a, ClientStatus: 'running' }));
    expect(await state(wait)).toBe('woken');
    expect(store.waiting).toBe(0);
  });

  it('wakes a read of a missing allocation on any write to the allocs table', async () => {
    const ws = store.newWatchSet();
    const at = store.latestIndex();
    expect(store.allocByID(uuid(), ws)).toBeUndefined();
    const wait = store.waitForChange(ws, at);
    await store.write((tx) => tx.upsertNode(node()));
    expect(await state(wait)).toBe('pending');
    await store.write((tx) => tx.upsertAlloc(alloc()));
    expect(await state(wait)).toBe('woken');
  });

  it('wakes a namespace list only for that namespace, and the all-namespaces list for any', async () => {
    const ws = store.newWatchSet();
    const wsAll = store.newWatchSet();
    const at = store.latestIndex();
    store.allocsByNamespace('default', {}, ws);
    store.allocsByNamespace('*', {}, wsAll);
    const wait = store.waitForChange(ws, at);
    const waitAll = store.waitForChange(wsAll, at);

    await store.write((tx) => tx.upsertAlloc(alloc({ Job: job({ Namespace: 'other' }) })));
    expect(await state(wait)).toBe('pending');
    expect(await state(waitAll)).toBe('woken');

    await store.write((tx) => tx.upsertAlloc(alloc()));
    expect(await state(wait)).toBe('woken');
  });

  it('wakes job, node and eval lists only for their own job, node and eval', async () => {
    const ws = { job: store.newWatchSet(), node: store.newWatchSet(), eval: store.newWatchSet() };
    const at = store.latestIndex();
    store.allocsByJob('default', 'api', ws.job);
    store.allocsByNode('n1', ws.node);
    store.allocsByEval('e1', ws.eval);
    const waits = {
      job: store.waitForChange(ws.job, at),
      node: store.waitForChange(ws.node, at),
      eval: store.waitForChange(ws.eval, at),
    };
    await store.write((tx) => tx.upsertAlloc(alloc({ NodeID: 'n2', EvalID: 'e2' })));
    expect(await state(waits.job)).toBe('pending');
    expect(await state(waits.node)).toBe('pending');
    expect(await state(waits.eval)).toBe('pending');

    await store.write((tx) =>
      tx.upsertAlloc(alloc({ Job: job({ ID: 'api' }), NodeID: 'n1', EvalID: 'e1' })),
    );
    expect(await state(waits.job)).toBe('woken');
    expect(await state(waits.node)).toBe('woken');
    expect(await state(waits.eval)).toBe('woken');
  });

  it('wakes the watchers of where an allocation was, when it moves or is deleted', async () => {
    const a = alloc({ NodeID: 'n1' });
    await store.write((tx) => tx.upsertAlloc(a));
    const ws = store.newWatchSet();
    const at = store.latestIndex();
    store.allocsByNode('n1', ws);
    const wait = store.waitForChange(ws, at);
    await store.write((tx) => tx.upsertAlloc({ ...a, NodeID: 'n2' }));
    expect(await state(wait)).toBe('woken');

    const ws2 = store.newWatchSet();
    const at2 = store.latestIndex();
    store.allocByID(a.ID, ws2);
    const wait2 = store.waitForChange(ws2, at2);
    await store.write((tx) => tx.deleteAlloc(a.ID));
    expect(await state(wait2)).toBe('woken');
  });

  it('never misses a write between the read and the wait', async () => {
    const a = alloc();
    await store.write((tx) => tx.upsertAlloc(a));
    const ws = store.newWatchSet();
    const at = store.latestIndex();
    store.allocByID(a.ID, ws);
    await store.write((tx) => tx.upsertAlloc({ ...a, ClientStatus: 'running' }));
    expect(await store.waitForChange(ws, at)).toBe(true);
  });

  it('ignores writes the read already saw, and writes to other keys before the wait', async () => {
    const a = alloc();
    await store.write((tx) => tx.upsertAlloc(a));
    const before = store.latestIndex();
    await store.write((tx) => tx.upsertAlloc({ ...a, ClientStatus: 'running' }));
    // The read runs after that write: waiting "after" an older index must not return at once.
    const ws = store.newWatchSet();
    store.allocByID(a.ID, ws);
    await store.write((tx) => tx.upsertNode(node()));
    const wait = store.waitForChange(ws, before);
    expect(await state(wait)).toBe('pending');
    await store.write((tx) => tx.upsertAlloc({ ...a, ClientStatus: 'failed' }));
    expect(await state(wait)).toBe('woken');
  });

  it('stops waiting when aborted and leaves no waiter behind', async () => {
    const ws = store.newWatchSet();
    const at = store.latestIndex();
    store.allocsByNamespace('*', {}, ws);
    const controller = new AbortController();
    const wait = store.waitForChange(ws, at, controller.signal);
    expect(store.waiting).toBe(1);
    controller.abort();
    expect(await wait).toBe(false);
    expect(store.waiting).toBe(0);
    // An already-aborted signal returns at once.
    expect(await store.waitForChange(ws, at, controller.signal)).toBe(false);
    expect(store.waiting).toBe(0);
  });

  it('wakes 2,000 waiters with one write and removes them all', async () => {
    const id = uuid();
    const waits: Promise<boolean>[] = [];
    const at = store.latestIndex();
    for (let i = 0; i < 2000; i++) {
      const ws = store.newWatchSet();
      store.allocByID(id, ws);
      store.allocsByNamespace('default', {}, ws);
      waits.push(store.waitForChange(ws, at, AbortSignal.timeout(10_000)));
    }
    expect(store.waiting).toBe(2000);
    await store.write((tx) => tx.upsertAlloc(alloc({ ID: id })));
    expect(await Promise.all(waits)).toEqual(waits.map(() => true));
    expect(store.waiting).toBe(0);
  });

  it('releases waiters when the store closes', async () => {
    const ws = store.newWatchSet();
    store.nodes(ws);
    const wait = store.waitForChange(ws, store.latestIndex());
    store.close();
    expect(await wait).toBe(false);
  });
});

describe('watches past the latest index', () => {
  it('wake only for a write above the given index', async () => {
    const ws = store.newWatchSet();
    store.nodes(ws);
    const wait = store.waitForChange(ws, store.latestIndex() + 1);
    await store.write((tx) => tx.upsertNode(node()));
    expect(await state(wait)).toBe('pending');
    await store.write((tx) => tx.upsertNode(node()));
    expect(await state(wait)).toBe('woken');
  });
});
