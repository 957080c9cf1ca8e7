import { expect, test } from 'vitest';
import { goQuote, goRuneU } from './quote.js';
import { parseGoBool } from './parse-bool.js';

test('goQuote escapes as strconv.Quote', () => {
  expect(goQuote('maybe')).toBe('"maybe"');
  expect(goQuote('a "b" \\ c')).toBe('"a \\"b\\" \\\\ c"');
  expect(goQuote('line\nnext\ttab\x07\x00\x7f')).toBe('"line\\nnext\\ttab\\a\\x00\\x7f"');
  expect(goQuote('héllo → 世界')).toBe('"héllo → 世界"');
  expect(goQuote('\u00a0\u2028')).toBe('"\\u00a0\\u2028"');
  expect(goQuote('\u{e0001}')).toBe('"\\U000e0001"');
});

test('goRuneU prints as %#U', () => {
  expect(goRuneU(0x7a)).toBe("U+007A 'z'");
  expect(goRuneU(0x2d)).toBe("U+002D '-'");
  expect(goRuneU(0x0a)).toBe('U+000A');
  expect(goRuneU(0xc3)).toBe("U+00C3 'Ã'");
});

test('parseGoBool accepts exactly Go strconv.ParseBool', () => {
  for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(parseGoBool(t)).toBe(true);
  for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) expect(parseGoBool(f)).toBe(false);
  for (const bad of ['', 'yes', 'tRUE', 'maybe', ' true', '2'])
    expect(parseGoBool(bad)).toBeUndefined();
});
