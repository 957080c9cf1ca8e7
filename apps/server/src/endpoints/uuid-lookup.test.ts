import { describe, expect, test } from 'vitest';
import { allocIdPrefix, exactAllocId } from './uuid-lookup.js';

const id = 'a8198d79-cfdb-6593-a999-1e9adabcba2e';

describe('exactAllocId', () => {
  test('accepts the stored form and upper case', () => {
    expect(exactAllocId(id)).toBe(id);
    expect(exactAllocId(id.toUpperCase())).toBe(id);
  });
  test('hyphens may stand anywhere when there are four', () => {
    expect(exactAllocId('a8198d79cfdb-6593-a999-1e9adabcba2e-')).toBe(id);
  });
  test('36 bytes without 32 hex digits never match', () => {
    expect(exactAllocId('a8198d79cfdb6593a9991e9adabcba2e1234')).toBeUndefined();
  });
  test.each([
    ['short', 'UUID must be 36 characters'],
    ['', 'UUID must be 36 characters'],
    [
      'a8198d79-cfdb-6593-a999-1e9adabcba2z',
      "Invalid UUID: encoding/hex: invalid byte: U+007A 'z'",
    ],
    ['a8198d79cfdb-6593-a999-1e9adabcba2e1', 'Input (without hyphens) must be even length'],
    ['a8198d79-cfdb-6593-a999-1e9adab-ba2e', 'UUID should have maximum of 4 "-"; got 5'],
  ])('%j is malformed', (input, message) => {
    expect(() => exactAllocId(input)).toThrow(message);
  });
  test('counts bytes, as Go does', () => {
    expect(() => exactAllocId('é'.repeat(18))).toThrow("invalid byte: U+00C3 'Ã'");
  });
});

describe('allocIdPrefix', () => {
  test('strips hyphens anywhere and puts them back where IDs have them', () => {
    expect(allocIdPrefix('b-a7bfb')).toBe('ba7bfb');
    expect(allocIdPrefix('A8198D79CF')).toBe('a8198d79-cf');
    expect(allocIdPrefix('')).toBe('');
  });
  test.each([
    ['abc', 'Input (without hyphens) must be even length'],
    ['zz', "Invalid UUID: encoding/hex: invalid byte: U+007A 'z'"],
    [`${id}00`, 'Invalid UUID length. UUID have 36 characters; got 38'],
    ['a-b-c-d-e-ff', 'UUID should have maximum of 4 "-"; got 5'],
  ])('%j is malformed', (input, message) => {
    expect(() => allocIdPrefix(input)).toThrow(message);
  });
});
