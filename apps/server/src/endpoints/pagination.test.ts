import { describe, expect, test } from 'vitest';
import { compareTokens, Paginator } from './pagination.js';

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
