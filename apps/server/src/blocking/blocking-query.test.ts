import { afterEach, describe, expect, test } from 'vitest';
import { openStateStore, type StateStore } from '../state/index.js';
import { mockAlloc } from '../test-support/mock.js';
import { blockingQuery, blockingTimeMs, MAX_BLOCKING_MS } from './blocking-query.js';

describe('blockingTimeMs', () => {
  test('wait is clamped to 300 s, and absent or non-positive means 300 s', () => {
    const noJitter = () => 0;
    expect(blockingTimeMs(1_000, noJitter)).toBe(1_000);
    expect(blockingTimeMs(600_000, noJitter)).toBe(MAX_BLOCKING_MS);
    expect(blockingTimeMs(undefined, noJitter)).toBe(MAX_BLOCKING_MS);
    expect(blockingTimeMs(0, noJitter)).toBe(MAX_BLOCKING_MS);
  });
  test('jitter adds less than a sixteenth', () => {
    expect(blockingTimeMs(16_000, () => 0.999999)).toBe(16_999);
  });
});

describe('blockingQuery', () => {
  let store: StateStore;
  afterEach(() => store.close());

  const allocsIndex =
    (s: StateStore) => (ws: Parameters<Parameters<typeof blockingQuery>[2]>[0]) => {
      s.allocsByNamespace('default', {}, ws);
      return { index: s.tableIndex('allocs') };
    };

  test('runs once when no index is given', async () => {
    store = openStateStore({ inMemory: true });
    let runs = 0;
    await blockingQuery(store, { minIndex: 0 }, () => ({ index: ++runs }));
    expect(runs).toBe(1);
  });

  test('stops waiting when the caller goes away', async () => {
    store = openStateStore({ inMemory: true });
    const gone = new AbortController();
    const pending = blockingQuery(
      store,
      { minIndex: 5, waitMs: 60_000, signal: gone.signal },
      allocsIndex(store),
    );
    setTimeout(() => gone.abort(), 20);
    expect(await pending).toEqual({ index: 0 });
  });

  test('reruns the query after a write it read', async () => {
    store = openStateStore({ inMemory: true });
    const put = () =>
      store.write((tx) =>
        tx.upsertAlloc({ ...mockAlloc(), CreateIndex: tx.index, ModifyIndex: tx.index }),
      );
    const first = await put();
    const pending = blockingQuery(store, { minIndex: first, waitMs: 60_000 }, allocsIndex(store));
    const second = await put();
    expect(await pending).toEqual({ index: second });
  });
});
