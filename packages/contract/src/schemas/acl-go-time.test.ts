import { expect, test } from 'vitest';
import { goDurationError, goRfc3339Error, goTimeQuote } from './acl-go-time.js';

const layout = '"2006-01-02T15:04:05Z07:00"';

test('RFC 3339 times Go accepts', () => {
  for (const t of [
    '2024-01-02T03:04:05Z',
    '2024-01-02T03:04:05.123456789Z',
    '2024-02-29T23:59:59-07:00',
    '0001-01-01T00:00:00Z',
    '2024-01-02T03:04:05+23:59',
  ]) {
    expect(goRfc3339Error(t), t).toBeUndefined();
  }
});

test("RFC 3339 times Go refuses, with time.Parse's texts", () => {
  expect(goRfc3339Error('x')).toBe(`parsing time "x" as ${layout}: cannot parse "x" as "2006"`);
  expect(goRfc3339Error('2024-13-01T00:00:00Z')).toBe(
    'parsing time "2024-13-01T00:00:00Z": month out of range',
  );
  expect(goRfc3339Error('2023-02-29T00:00:00Z')).toBe(
    'parsing time "2023-02-29T00:00:00Z": day out of range',
  );
  expect(goRfc3339Error('2024-01-02T24:00:00Z')).toBe(
    'parsing time "2024-01-02T24:00:00Z": hour out of range',
  );
  expect(goRfc3339Error('2024-01-02')).toBe(
    `parsing time "2024-01-02" as ${layout}: cannot parse "" as "T"`,
  );
  expect(goRfc3339Error('2024-1-02T00:00:00Z')).toBe(
    `parsing time "2024-1-02T00:00:00Z" as ${layout}: cannot parse "1-02T00:00:00Z" as "01"`,
  );
  expect(goRfc3339Error('2024-01-02T03:04:05')).toBe(
    `parsing time "2024-01-02T03:04:05" as ${layout}: cannot parse "" as "Z07:00"`,
  );
  expect(goRfc3339Error('2024-01-02T03:04:05Z and more')).toBe(
    'parsing time "2024-01-02T03:04:05Z and more": extra text: " and more"',
  );
});

test('what the general layout takes and the strict RFC 3339 check refuses', () => {
  expect(goRfc3339Error('2024-01-02T3:04:05Z')).toBe(
    `parsing time "2024-01-02T3:04:05Z" as ${layout}: cannot parse "3" as "15"`,
  );
  expect(goRfc3339Error('2024-01-02T03:04:05,5Z')).toBe(
    `parsing time "2024-01-02T03:04:05,5Z" as ${layout}: cannot parse "," as "."`,
  );
  expect(goRfc3339Error('2024-01-02T03:04:05+24:00')).toBe(
    'parsing time "2024-01-02T03:04:05+24:00": timezone hour out of range',
  );
  expect(goRfc3339Error('2024-01-02T03:04:05+23:60')).toBe(
    'parsing time "2024-01-02T03:04:05+23:60": timezone minute out of range',
  );
});

test("Go's time package quotes non-ASCII and control bytes as \\x escapes", () => {
  expect(goTimeQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
  expect(goTimeQuote('é\n')).toBe('"\\xc3\\xa9\\x0a"');
});

test("ParseDuration's three errors", () => {
  expect(goDurationError('1h30m')).toBeUndefined();
  expect(goDurationError('0')).toBeUndefined();
  expect(goDurationError('.5s')).toBeUndefined();
  expect(goDurationError('abc')).toBe('time: invalid duration "abc"');
  expect(goDurationError('')).toBe('time: invalid duration ""');
  expect(goDurationError('.s')).toBe('time: invalid duration ".s"');
  expect(goDurationError('10')).toBe('time: missing unit in duration "10"');
  expect(goDurationError('1d')).toBe('time: unknown unit "d" in duration "1d"');
  expect(goDurationError('9999999999h')).toBe('time: invalid duration "9999999999h"');
});
