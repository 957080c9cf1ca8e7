import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openStateStore, type Commit, type StateStore } from './index.js';
import { evaluation, node, uuid } from './test-support/fixtures.js';

let store: StateStore;

beforeEach(() => {
  store = openStateStore({ inMemory: true, freeze: true });
});

afterEach(() => {
  store.close();
});

describe('commit listeners', () => {
  it('hands each committed write’s index and changed objects, once visible', async () => {
    const seen: { index: number; evals: number; nodes: number; visible: boolean }[] = [];
    const ev = evaluation();
    store.onCommit((c: Commit) => {
      seen.push({
        index: c.index,
        evals: c.changes('evals').length,
        nodes: c.changes('nodes').length,
        visible: store.evalByID(ev.ID) !== undefined && store.latestIndex() === c.index,
      });
    });
    const index = await store.write((tx) => tx.upsertEval(ev));
    expect(seen).toEqual([{ index, evals: 1, nodes: 0, visible: true }]);
  });

  it('gives an update’s previous version and a delete’s missing next one', async () => {
    const ev = evaluation();
    await store.write((tx) => tx.upsertEval(ev));
    const changes: Commit[] = [];
    store.onCommit((c) => changes.push(c));
    await store.write((tx) => tx.upsertEval({ ...ev, Status: 'complete' }));
    await store.write((tx) => tx.deleteEval(ev.ID));
    const [update, del] = changes.map((c) => c.changes('evals')[0]);
    expect(update?.before?.Status).toBe('pending');
    expect(update?.after?.Status).toBe('complete');
    expect(del?.before?.Status).toBe('complete');
    expect(del?.after).toBeUndefined();
  });

  it('stops calling a removed listener, and a throwing listener does not fail the write', async () => {
    let calls = 0;
    const remove = store.onCommit(() => calls++);
    store.onCommit(() => {
      throw new Error('listener fault');
    });
    const original = console.error;
    console.error = () => {};
    try {
      await store.write((tx) => tx.upsertNode(node()));
      remove();
      const index = await store.write((tx) => tx.upsertNode(node()));
      expect(store.latestIndex()).toBe(index);
    } finally {
      console.error = original;
    }
    expect(calls).toBe(1);
  });

  it('is not called for a write that fails', async () => {
    let calls = 0;
    store.onCommit(() => calls++);
    await expect(
      store.write(() => {
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(calls).toBe(0);
  });
});

describe('evaluation and node lists', () => {
  it('lists evaluations by namespace in creation order, and by ID prefix', async () => {
    const a = evaluation({ ID: uuid('aa'), Namespace: 'default' });
    const b = evaluation({ ID: uuid('bb'), Namespace: 'other' });
    const c = evaluation({ ID: uuid('ab'), Namespace: 'default' });
    await store.write((tx) => tx.upsertEval({ ...a, CreateIndex: tx.index }));
    await store.write((tx) => tx.upsertEval({ ...b, CreateIndex: tx.index }));
    await store.write((tx) => tx.upsertEval({ ...c, CreateIndex: tx.index }));
    expect(store.evalsByNamespace('default').map((e) => e.ID)).toEqual([a.ID, c.ID]);
    expect(store.evalsByNamespace('*', { reverse: true }).map((e) => e.ID)).toEqual([
      c.ID,
      b.ID,
      a.ID,
    ]);
    expect(store.evalsByIDPrefix('a').map((e) => e.ID)).toEqual([a.ID, c.ID]);
    expect(store.evalsByIDPrefix('', { namespace: 'other' }).map((e) => e.ID)).toEqual([b.ID]);
  });

  it('lists nodes by ID prefix', async () => {
    const n1 = node({ ID: uuid('f0') });
    const n2 = node({ ID: uuid('0f') });
    await store.write((tx) => {
      tx.upsertNode(n1);
      tx.upsertNode(n2);
    });
    expect(store.nodesByIDPrefix('f').map((n) => n.ID)).toEqual([n1.ID]);
    expect(store.nodesByIDPrefix('')).toHaveLength(2);
  });
});
