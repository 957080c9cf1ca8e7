import { describe, expect, test } from 'vitest';
import { formatGoDuration, parseGoDuration, parseGoDurationBig } from './duration.js';

const SEC = 1e9;
const MIN = 60 * SEC;

describe('formatGoDuration', () => {
  test.each([
    [0, '0s'],
    [1, '1ns'],
    [1100, '1.1µs'],
    [2_200_000, '2.2ms'],
    [300_000_000, '300ms'],
    [1.5 * SEC, '1.5s'],
    [3.3 * SEC, '3.3s'],
    [5 * SEC, '5s'],
    [90 * SEC, '1m30s'],
    [4 * MIN + 5.001 * SEC, '4m5.001s'],
    [8 * MIN + 1, '8m0.000000001s'],
    [2 * 60 * MIN, '2h0m0s'],
    [-5 * SEC, '-5s'],
    [-1500, '-1.5µs'],
  ])('%d ns → %s', (ns, text) => expect(formatGoDuration(ns)).toBe(text));

  test('int64 extremes are exact', () => {
    expect(formatGoDuration((1n << 63n) - 1n)).toBe('2562047h47m16.854775807s');
    expect(formatGoDuration(-(1n << 63n))).toBe('-2562047h47m16.854775808s');
  });
});

describe('parseGoDuration', () => {
  test.each([
    ['0', 0],
    ['-0', 0],
    ['+0', 0],
    ['5s', 5 * SEC],
    ['-5s', -5 * SEC],
    ['+5s', 5 * SEC],
    ['5.0s', 5 * SEC],
    ['5.6s', 5.6 * SEC],
    ['5.s', 5 * SEC],
    ['.5s', 0.5 * SEC],
    ['1.004s', 1.004 * SEC],
    ['100.00100s', 100.001 * SEC],
    ['10ns', 10],
    ['11us', 11_000],
    ['12µs', 12_000],
    ['12μs', 12_000],
    ['300us', 300_000],
    ['13ms', 13_000_000],
    ['500ms', 500_000_000],
    ['15m', 15 * MIN],
    ['16h', 16 * 60 * MIN],
    ['1.5h', 90 * MIN],
    ['3h30m', 210 * MIN],
    ['10.5s4m', 4 * MIN + 10.5 * SEC],
    ['-2m3.4s', -(2 * MIN + 3.4 * SEC)],
    ['1h2m3s4ms5us6ns', 3_723_004_005_006],
    ['0.3333333333333333333h', 20 * MIN],
    ['.100000000000000000000h', 6 * MIN],
  ])('%s', (text, ns) => expect(parseGoDuration(text)).toBe(ns));

  test('exact at the int64 limits', () => {
    expect(parseGoDurationBig('9223372036854775807ns')).toBe((1n << 63n) - 1n);
    expect(parseGoDurationBig('9223372036854775.807us')).toBe((1n << 63n) - 1n);
    expect(parseGoDurationBig('9223372036854ms775us807ns')).toBe((1n << 63n) - 1n);
    expect(parseGoDurationBig('-9223372036854775808ns')).toBe(-(1n << 63n));
  });

  test.each([
    '',
    '3',
    '10',
    '-',
    's',
    '.',
    '-.',
    '.s',
    '+.s',
    '1d',
    '1 s',
    ' 1s',
    '1S',
    '\x85\x85',
    '9223372036854775808ns',
    '9223372036854775.808us',
    '9223372036854ms775us808ns',
    '-9223372036854775809ns',
  ])('rejects %j', (text) => expect(parseGoDuration(text)).toBeUndefined());
});
