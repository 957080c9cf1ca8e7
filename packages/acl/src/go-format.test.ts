import { describe, expect, it } from 'vitest';
import { goQuote, goSortStrings, goStringSlice, goStruct } from './go-format.js';

describe("Go's renderings in Nomad's texts", () => {
  it('quote strings as strconv.Quote does', () => {
    expect(goQuote('plain')).toBe('"plain"');
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote('\t\n\r\x07\b\f\v')).toBe('"\\t\\n\\r\\a\\b\\f\\v"');
    expect(goQuote('\x00\x1f\x7f')).toBe('"\\x00\\x1f\\x7f"');
    expect(goQuote('héllo wörld ✓ 日本')).toBe('"héllo wörld ✓ 日本"');
    expect(goQuote('\u00a0\u200b\ufeff')).toBe('"\\u00a0\\u200b\\ufeff"');
    expect(goQuote('\u{1d400}\u{e0001}')).toBe('"\u{1d400}\\U000e0001"');
    expect(goQuote('\ud800')).toBe('"\ufffd"');
  });

  it('render slices and struct pointers as %#v does', () => {
    expect(goStringSlice(null)).toBe('[]string(nil)');
    expect(goStringSlice([])).toBe('[]string{}');
    expect(goStringSlice(['a', 'b'])).toBe('[]string{"a", "b"}');
    expect(goStruct('AgentPolicy', [['Policy', 'x']])).toBe('&acl.AgentPolicy{Policy:"x"}');
  });

  it('sort as sort.Strings does: by code point, not UTF-16 unit', () => {
    expect(goSortStrings(['b', 'B', 'a', '\u{1f600}', '\uffff', ''])).toEqual([
      '',
      'B',
      'a',
      'b',
      '\uffff',
      '\u{1f600}',
    ]);
  });
});
