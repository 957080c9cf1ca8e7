import { describe, expect, it } from 'vitest';

import { SortedIndex } from './sorted-index.js';

interface Row {
  id: string;
  ns: string;
  create: number;
}

const byNsCreate = () =>
  new SortedIndex<Row>('ns_create', [(r) => r.ns, (r) => r.create], (r) => r.id);

const ids = (rows: Row[]) => rows.map((r) => r.id);

describe('SortedIndex', () => {
  it('orders by its fields, then by primary key, and reverses', () => {
    const index = byNsCreate();
    index.reset([
      { id: 'c', ns: 'a', create: 2 },
      { id: 'b', ns: 'a', create: 2 },
      { id: 'a', ns: 'a', create: 10 },
      { id: 'd', ns: 'b', create: 1 },
    ]);
    expect(ids(index.range())).toEqual(['b', 'c', 'a', 'd']);
    expect(ids(index.range({ reverse: true }))).toEqual(['d', 'a', 'c', 'b']);
    expect(ids(index.range({ eq: ['a'] }))).toEqual(['b', 'c', 'a']);
    expect(ids(index.range({ eq: ['a'], reverse: true }))).toEqual(['a', 'c', 'b']);
    expect(index.range({ eq: ['zz'] })).toEqual([]);
  });

  it('compares numbers numerically', () => {
    const index = byNsCreate();
    index.reset([9, 10, 100, 2].map((n) => ({ id: `x${n}`, ns: 'a', create: n })));
    expect(ids(index.range())).toEqual(['x2', 'x9', 'x10', 'x100']);
  });

  it('scans a string prefix of the next field', () => {
    const index = new SortedIndex<Row>('id', [], (r) => r.id);
    index.reset(['aa11', 'aa22', 'ab00', 'a', 'b0'].map((id) => ({ id, ns: 'x', create: 0 })));
    expect(ids(index.range({ prefix: 'aa' }))).toEqual(['aa11', 'aa22']);
    expect(ids(index.range({ prefix: 'aa', reverse: true }))).toEqual(['aa22', 'aa11']);
    expect(ids(index.range({ prefix: 'a' }))).toEqual(['a', 'aa11', 'aa22', 'ab00']);
    expect(ids(index.range({ prefix: 'c' }))).toEqual([]);
    expect(ids(index.range({ prefix: '' }))).toHaveLength(5);
  });

  it('starts at a position, inclusive, in both directions', () => {
    const index = byNsCreate();
    index.reset([1, 2, 3, 4].map((n) => ({ id: `i${n}`, ns: 'a', create: n })));
    expect(ids(index.range({ eq: ['a'], from: [3] }))).toEqual(['i3', 'i4']);
    expect(ids(index.range({ eq: ['a'], from: [3, 'i3'] }))).toEqual(['i3', 'i4']);
    expect(ids(index.range({ eq: ['a'], from: [3, 'i4'] }))).toEqual(['i4']);
    expect(ids(index.range({ eq: ['a'], from: [3], reverse: true }))).toEqual(['i3', 'i2', 'i1']);
    // A position between entries resumes at the next one.
    expect(ids(index.range({ eq: ['a'], from: [2, 'zz'] }))).toEqual(['i3', 'i4']);
  });

  it('replaces in place, moves and deletes, staying sorted (small and large batches)', () => {
    const index = byNsCreate();
    const model = new Map<string, Row>();
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 60; round++) {
      const batch = round % 10 === 0 ? 400 : 1 + rand(5);
      const changes = [];
      const touched = new Set<string>();
      for (let i = 0; i < batch; i++) {
        const id = `id${rand(300)}`;
        if (touched.has(id)) continue;
        touched.add(id);
        const before = model.get(id);
        const op = rand(4);
        if (op === 0 && before) {
          model.delete(id);
          changes.push({ before });
        } else if (op === 1 && before) {
          const after = { ...before }; // same key: replaced in place
          model.set(id, after);
          changes.push({ before, after });
        } else {
          const after = { id, ns: `n${rand(3)}`, create: rand(50) };
          model.set(id, after);
          changes.push({ before, after });
        }
      }
      index.apply(changes);
      const expected = [...model.values()].sort((a, b) => index.compare(a, b));
      expect(index.range()).toEqual(expected);
      expect(index.range().every((r, i) => r === expected[i])).toBe(true);
    }
  });

  it('returns copies that later writes do not change', () => {
    const index = byNsCreate();
    const a = { id: 'a', ns: 'x', create: 1 };
    index.reset([a]);
    const seen = index.range();
    index.apply([{ after: { id: 'b', ns: 'x', create: 2 } }, { before: a }]);
    expect(ids(seen)).toEqual(['a']);
  });
});
