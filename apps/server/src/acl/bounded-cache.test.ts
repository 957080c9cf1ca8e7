import { describe, expect, test } from 'vitest';
import { BoundedCache } from './bounded-cache.js';

describe('BoundedCache', () => {
  test('holds at most its limit, forgetting the least recently used entry', () => {
    const cache = new BoundedCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // `b` is now the least recently used
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  test('replacing a key keeps one entry for it', () => {
    const cache = new BoundedCache<number>(2);
    cache.set('a', 1);
    cache.set('a', 2);
    cache.set('b', 3);
    expect([cache.size, cache.get('a'), cache.get('b')]).toEqual([2, 2, 3]);
  });

  test('a limit below 1 is refused', () => {
    expect(() => new BoundedCache(0)).toThrow(RangeError);
  });
});
