import { describe, expect, it } from 'vitest';

import { scoreFitBinPack } from './binpack.js';

describe('binpack score', () => {
  it('is 18 for a full node and 0 for an empty one', () => {
    expect(scoreFitBinPack(1000, 1000, 2048, 2048)).toBe(18);
    expect(scoreFitBinPack(0, 1000, 0, 2048)).toBe(0);
  });
  it('grows as the node fills', () => {
    const half = scoreFitBinPack(500, 1000, 1024, 2048);
    expect(half).toBeCloseTo(20 - 2 * Math.sqrt(10), 10);
    expect(scoreFitBinPack(750, 1000, 1024, 2048)).toBeGreaterThan(half);
  });
});
