import { describe, expect, test } from 'vitest';
import { openStateStore } from '../state/index.js';
import { alloc } from '../state/test-support/fixtures.js';
import { EndpointError } from './endpoint-error.js';
import {
  compareTokens,
  filterWorkLimitText,
  page as pageOf,
  Paginator,
  WHOLE_LIST,
} from './pagination.js';
import { SLICE_MS } from './time-slice.js';

const page = (items: string[], perPage: number, nextToken = '', reverse = false) => {
  const p = new Paginator<string>({ perPage, nextToken, reverse, tokenOf: (s) => s });
  const out: string[] = [];
  for (const item of items) {
    if (!p.reached(item)) continue;
    if (!p.accept(item)) break;
    out.push(item);
  }
  return { out, next: p.nextToken };
};

describe('Paginator', () => {
  const items = ['1000.a', '1001.b', '1003.c', '1012.d'];
  test('per_page cuts the page and names the first item left out', () => {
    expect(page(items, 2)).toEqual({ out: ['1000.a', '1001.b'], next: '1003.c' });
  });
  test('the last page has no next token; 0 is unlimited', () => {
    expect(page(items, 0)).toEqual({ out: items, next: '' });
    expect(page(items, 4)).toEqual({ out: items, next: '' });
  });
  test('a next token resumes at the first item not before it, even if it names no item', () => {
    expect(page(items, 2, '1003.c').out).toEqual(['1003.c', '1012.d']);
    expect(page(items, 0, '1011.zzz').out).toEqual(['1012.d']);
  });
  test('reverse scans resume at the first item not after the token', () => {
    expect(page([...items].reverse(), 0, '1001.b', true).out).toEqual(['1001.b', '1000.a']);
  });
  test('a negative per_page ends the page at the first item', () => {
    expect(page(items, -1)).toEqual({ out: [], next: '1000.a' });
  });
});

test('index tokens compare numerically before the ID', () => {
  expect(compareTokens('999.z', '1000.a')).toBeLessThan(0);
  expect(compareTokens('1000.b', '1000.a')).toBeGreaterThan(0);
  expect(compareTokens('abc', 'abd')).toBeLessThan(0);
});

describe('page: a scan in time slices', () => {
  /** Keeps the thread busy past one slice, so the scan must give the event loop a turn. */
  const busy = () => {
    const until = performance.now() + SLICE_MS + 1;
    while (performance.now() < until);
  };
  const tokens = Array.from({ length: 300 }, (_, i) => `${1000 + i}.${i.toString(16)}`);

  test('gives the same items and next token as an unsliced scan', async () => {
    let calls = 0;
    const result = await pageOf(tokens, {
      perPage: 50,
      nextToken: '1100.64',
      reverse: false,
      tokenOf: (t) => t,
      // Every tenth item costs a slice: the scan yields several times.
      keep: (t) => {
        if (++calls % 10 === 0) busy();
        return Number(t.split('.')[0]) % 3 !== 0;
      },
      view: (t) => t.toUpperCase(),
    });
    const expected = tokens
      .filter((t) => compareTokens(t, '1100.64') >= 0 && Number(t.split('.')[0]) % 3 !== 0)
      .map((t) => t.toUpperCase());
    expect(result.items).toEqual(expected.slice(0, 50));
    expect(result.nextToken).toBe(expected[50]!.toLowerCase());
  });

  test('a write between slices does not change the page: it reads a snapshot', async () => {
    const store = openStateStore({ inMemory: true });
    const seeded = Array.from({ length: 20 }, () => alloc());
    await store.write((tx) => seeded.forEach((a) => tx.upsertAlloc(a)));
    const indexes: number[] = [];
    let writing: Promise<number> | undefined;
    const result = await pageOf(store.allocsByNamespace('default'), {
      perPage: 0,
      nextToken: '',
      reverse: false,
      tokenOf: (a) => `${a.CreateIndex}.${a.ID}`,
      keep: (a) => {
        indexes.push(store.latestIndex());
        if (a.ID === seeded[0]!.ID) {
          // The write runs while the scan waits for its next slice.
          writing = store.write((tx) => {
            tx.deleteAlloc(seeded[5]!.ID);
            tx.upsertAlloc(alloc());
          });
          busy();
        }
        return true;
      },
      view: (a) => a.ID,
    });
    await writing;
    store.close();
    expect(indexes.at(-1)).toBeGreaterThan(indexes[0]!);
    expect(result.items).toEqual(seeded.map((a) => a.ID).sort());
  });

  test('a filter that works past its limit answers 400 instead of running on', async () => {
    let seen = 0;
    const scan = pageOf(tokens, {
      perPage: 0,
      nextToken: '',
      reverse: false,
      tokenOf: (t) => t,
      keep: () => {
        seen++;
        busy();
        return true;
      },
      view: (t) => t,
      filterLimitMs: 25,
    });
    await expect(scan).rejects.toThrow(new EndpointError(400, filterWorkLimitText(25)));
    expect(filterWorkLimitText(25)).toBe(
      'failed to read result page: evaluating the filter took more than 0.025 s ' +
        "(berth's limit per list request); use a simpler filter, an ID prefix or a namespace",
    );
    // It stopped after a few items, not after every one.
    expect(seen).toBeLessThan(tokens.length);
  });

  test('building views is not filter work: a slow view never hits the limit', async () => {
    const result = await pageOf(tokens.slice(0, 5), {
      ...WHOLE_LIST,
      view: (t) => {
        busy();
        return t;
      },
      filterLimitMs: 1,
    });
    expect(result.items).toEqual(tokens.slice(0, 5));
  });
});
