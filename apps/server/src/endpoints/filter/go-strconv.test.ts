import { describe, expect, test } from 'vitest';
import { goQuote } from '@berth/contract';
import { goUnquote, parseGoBool, parseGoFloat, parseGoInt, parseGoUint } from './go-strconv.js';

describe('ParseInt(s, 0, 64) and ParseUint', () => {
  test.each([
    ['50', 50n],
    ['+50', 50n],
    ['-50', -50n],
    ['0x32', 50n],
    ['0o62', 50n],
    ['062', 50n],
    ['0b110010', 50n],
    ['5_0', 50n],
    ['0', 0n],
    ['-9223372036854775808', -(2n ** 63n)],
  ])('%s → %s', (text, want) => {
    expect(parseGoInt(text)).toBe(want);
  });

  test.each([
    ['', 'strconv.ParseInt: parsing "": invalid syntax'],
    ['50.0', 'strconv.ParseInt: parsing "50.0": invalid syntax'],
    ['1__0', 'strconv.ParseInt: parsing "1__0": invalid syntax'],
    ['_1', 'strconv.ParseInt: parsing "_1": invalid syntax'],
    ['08', 'strconv.ParseInt: parsing "08": invalid syntax'],
    ['0x', 'strconv.ParseInt: parsing "0x": invalid syntax'],
    ['9223372036854775808', 'strconv.ParseInt: parsing "9223372036854775808": value out of range'],
    [
      '99999999999999999999',
      'strconv.ParseInt: parsing "99999999999999999999": value out of range',
    ],
  ])('%j fails', (text, message) => {
    expect(() => parseGoInt(text)).toThrow(message);
  });

  test('ParseUint takes no sign', () => {
    expect(parseGoUint('18446744073709551615')).toBe(2n ** 64n - 1n);
    expect(() => parseGoUint('-1')).toThrow('strconv.ParseUint: parsing "-1": invalid syntax');
    expect(() => parseGoUint('+3')).toThrow('strconv.ParseUint: parsing "+3": invalid syntax');
  });
});

test('ParseFloat', () => {
  expect(parseGoFloat('0.5')).toBe(0.5);
  expect(parseGoFloat('.5e1')).toBe(5);
  expect(parseGoFloat('1_0.0')).toBe(10);
  expect(parseGoFloat('0x1p-1')).toBe(0.5);
  expect(parseGoFloat('-Inf')).toBe(-Infinity);
  expect(parseGoFloat('NaN')).toBeNaN();
  expect(() => parseGoFloat('0x1')).toThrow('strconv.ParseFloat: parsing "0x1": invalid syntax');
  expect(() => parseGoFloat('1e999')).toThrow(
    'strconv.ParseFloat: parsing "1e999": value out of range',
  );
  expect(parseGoFloat('1.')).toBe(1);
  expect(parseGoFloat('12.5E-1')).toBe(1.25);
});

test('ParseFloat refuses a long run of digits with a bad tail without backtracking', () => {
  const text = `${'1'.repeat(200_000)}x`;
  expect(() => parseGoFloat(text)).toThrow(
    `strconv.ParseFloat: parsing ${goQuote(text)}: invalid syntax`,
  );
});

test('ParseBool', () => {
  for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(parseGoBool(t)).toBe(true);
  for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) expect(parseGoBool(f)).toBe(false);
  expect(() => parseGoBool('yes')).toThrow('strconv.ParseBool: parsing "yes": invalid syntax');
});

test('Quote', () => {
  expect(goQuote('a"b\\c\n\x01é\u200b')).toBe('"a\\"b\\\\c\\n\\x01é\\u200b"');
});

describe('Unquote', () => {
  test.each([
    ['"plain"', 'plain'],
    ['"tab\\there"', 'tab\there'],
    ['"\\x41\\101\\u00e9\\U0001F600"', 'AAé😀'],
    ['"\\xc3\\xa9"', 'é'],
    ['`raw \\n`', 'raw \\n'],
    ['`a\r\nb`', 'a\nb'],
  ])('%s', (literal, want) => {
    expect(goUnquote(literal)).toBe(want);
  });

  test.each(['"\\q"', '"\\\'"', '"\\400"', '"\\uD800"', '"\\u12"', '"a\nb"', '"\\'])(
    '%j is invalid syntax',
    (literal) => {
      expect(() => goUnquote(literal)).toThrow('invalid syntax');
    },
  );
});
