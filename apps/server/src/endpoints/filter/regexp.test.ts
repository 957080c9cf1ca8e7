import { describe, expect, test } from 'vitest';
import { compileGoRegexp } from './regexp.js';

// Answers recorded from Go's regexp package through go-bexpr (`Name matches <pattern>`).
describe('matching as Go does', () => {
  test.each([
    ['(?i)WEB', 'web', true],
    ['a.c', 'a\nc', false],
    ['(?s)a.c', 'a\nc', true],
    ['a.c', 'a\rc', true],
    ['(?m)^b$', 'a\nb\nc', true],
    ['^b$', 'a\nb\nc', false],
    ['\\d+', '١٢', false],
    ['\\w+', 'é', false],
    ['\\s', ' ', false],
    ['\\s', '\u000b', false],
    ['[[:alpha:]]+', 'abc', true],
    ['[[:^digit:]]', '1', false],
    ['[]a]', ']', true],
    ['\\pL+', 'αβγ', true],
    ['\\p{Greek}', 'α', true],
    ['\\PL', '1', true],
    ['\\Qa.b\\E', 'a.b', true],
    ['\\Qa.b\\E', 'axb', false],
    ['x(?i)a', 'xA', true],
    ['X(?i)a', 'xA', false],
    ['(?i:a)b', 'AB', false],
    ['(?i:a)b', 'Ab', true],
    ['a{2,3}', 'aa', true],
    ['a{,2}', 'a{,2}', true],
    ['\\x41', 'A', true],
    ['\\x{e9}', 'é', true],
    ['\\101', 'A', true],
    ['[\\d\\s]', ' ', true],
    ['[^\\S]', ' ', true],
    ['\\bfoo\\b', 'a foo b', true],
    ['a|b', 'b', true],
    ['|a', '', true],
    ['^*', 'x', true],
    ['k', 'K', false],
    ['(?i)k', 'K', true],
    ['[a-c]', 'B', false],
    ['(?i)[a-c]', 'B', true],
    ['\\.', 'x', false],
    ['\\A\\z', '', true],
    ['$', 'x\n', true],
  ] as const)('%j against %j → %s', (pattern, subject, want) => {
    expect(compileGoRegexp(pattern).test(subject)).toBe(want);
  });
});

describe("Go's syntax errors", () => {
  test.each([
    ['(', 'error parsing regexp: missing closing ): `(`'],
    [')', 'error parsing regexp: unexpected ): `)`'],
    ['[a', 'error parsing regexp: missing closing ]: `[a`'],
    ['a**', 'error parsing regexp: invalid nested repetition operator: `**`'],
    ['*a', 'error parsing regexp: missing argument to repetition operator: `*`'],
    ['\\1', 'error parsing regexp: invalid escape sequence: `\\1`'],
    ['\\q', 'error parsing regexp: invalid escape sequence: `\\q`'],
    ['(?=a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['a{1001}', 'error parsing regexp: invalid repeat count: `{1001}`'],
    ['[z-a]', 'error parsing regexp: invalid character class range: `z-a`'],
    ['[[:foo:]]', 'error parsing regexp: invalid character class range: `[:foo:]`'],
    ['\\p{Foo}', 'error parsing regexp: invalid character class range: `\\p{Foo}`'],
    ['(?i-)a', 'error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`'],
    ['(?P<>a)', 'error parsing regexp: invalid named capture: `(?P<>`'],
    ['x{2}{3}', 'error parsing regexp: invalid nested repetition operator: `{2}{3}`'],
  ])('%j', (pattern, message) => {
    expect(() => compileGoRegexp(pattern)).toThrow(message);
  });

  test('named groups in both spellings, flags groups', () => {
    expect(compileGoRegexp('(?P<first>a)(?<second>b)').test('ab')).toBe(true);
    expect(compileGoRegexp('(?i)a(?-i)b').test('Ab')).toBe(true);
    expect(compileGoRegexp('(?i)a(?-i)b').test('AB')).toBe(false);
    expect(() => compileGoRegexp('(?<=a)b')).toThrow('invalid named capture');
  });
});
