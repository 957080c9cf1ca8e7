import { describe, expect, it } from 'vitest';

import { mockAlloc } from '../../../test-support/mock.js';
import { AllocNameIndex } from './alloc-name-index.js';

const named = (...idx: number[]) => idx.map((i) => mockAlloc({ JobID: 'j', Name: `j.g[${i}]` }));

describe('allocation names', () => {
  it('fills the lowest free indexes, then overlaps', () => {
    const index = new AllocNameIndex('j', 'g', 4, named(0, 2));
    expect(index.next(3)).toEqual(['j.g[1]', 'j.g[3]', 'j.g[0]']);
  });
  it('removes the highest', () => {
    const index = new AllocNameIndex('j', 'g', 2, named(0, 1, 5, 3));
    expect([...index.highest(2)].sort()).toEqual(['j.g[3]', 'j.g[5]']);
    expect(index.next(1)).toEqual(['j.g[0]']);
  });
  it('tracks duplicates', () => {
    const index = new AllocNameIndex('j', 'g', 2, named(0, 0));
    expect(index.isDuplicate(0)).toBe(true);
    index.unset(0);
    expect(index.isDuplicate(0)).toBe(false);
    expect(index.next(1)).toEqual(['j.g[1]']);
  });
});
