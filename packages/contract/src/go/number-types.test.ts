import { expect, test } from 'vitest';
import { formatGoInt, goNumberValue } from './number-types.js';

const MAX_INT64 = '9223372036854775807';
const MIN_INT64 = '-9223372036854775808';

test.each([
  ['int', MIN_INT64, MAX_INT64, '-9223372036854775809', '9223372036854775808'],
  ['int64', MIN_INT64, MAX_INT64, '-9223372036854775809', '9223372036854775808'],
  ['time.Duration', MIN_INT64, MAX_INT64, '-9223372036854775809', '9223372036854775808'],
  ['int32', '-2147483648', '2147483647', '-2147483649', '2147483648'],
  ['int16', '-32768', '32767', '-32769', '32768'],
  ['int8', '-128', '127', '-129', '128'],
  ['uint', '0', '18446744073709551615', '-1', '18446744073709551616'],
  ['uint64', '0', '18446744073709551615', '-1', '18446744073709551616'],
  ['uint32', '0', '4294967295', '-1', '4294967296'],
  ['uint16', '0', '65535', '-1', '65536'],
  ['uint8', '0', '255', '-1', '256'],
])('%s takes %s..%s and refuses %s and %s', (type, min, max, below, above) => {
  expect(goNumberValue(min, type)).toBe(Number(min));
  expect(goNumberValue(max, type)).toBe(Number(max));
  expect(goNumberValue(below, type)).toBeUndefined();
  expect(goNumberValue(above, type)).toBeUndefined();
});

test.each(['int', 'int8', 'uint8', 'uint64', 'time.Duration'])(
  '%s refuses any literal that is not a plain integer, as strconv.ParseInt does',
  (type) => {
    for (const literal of ['1.5', '1.0', '1e2', '1E2', '0.0', '-0.0', '1e-2']) {
      expect(goNumberValue(literal, type)).toBeUndefined();
    }
  },
);

test('unsigned types refuse a sign, even on zero; signed types read -0 as 0', () => {
  expect(goNumberValue('-0', 'uint64')).toBeUndefined();
  expect(Object.is(goNumberValue('-0', 'int'), 0)).toBe(true);
});

test('a megabyte of digits is refused without reading it as a number', () => {
  expect(goNumberValue('9'.repeat(1_000_000), 'int')).toBeUndefined();
  expect(goNumberValue('0', 'int')).toBe(0);
});

test('floats take fractions and exponents, and refuse what overflows their size', () => {
  expect(goNumberValue('1.5', 'float64')).toBe(1.5);
  expect(goNumberValue('1e308', 'float64')).toBe(1e308);
  expect(goNumberValue('1e400', 'float64')).toBeUndefined();
  expect(goNumberValue('-1e400', 'float64')).toBeUndefined();
  expect(goNumberValue('1e-400', 'float64')).toBe(0);
  expect(goNumberValue('3.4e38', 'float32')).toBe(3.4e38);
  expect(goNumberValue('3.5e38', 'float32')).toBeUndefined();
});

test('a type not listed is read as int', () => {
  expect(goNumberValue(MAX_INT64, 'api.Mystery')).toBe(2 ** 63);
  expect(goNumberValue('9223372036854775808', 'api.Mystery')).toBeUndefined();
});

test("formatGoInt writes every digit, as Go's %d", () => {
  expect(formatGoInt(2 ** 63)).toBe('9223372036854775808');
  expect(formatGoInt(1e21)).toBe('1000000000000000000000');
  expect(formatGoInt(-5)).toBe('-5');
});
