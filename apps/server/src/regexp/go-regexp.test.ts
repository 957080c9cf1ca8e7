import { describe, expect, test } from 'vitest';
import { compileGoRegexp, GoRegexpError, goRegexpProblem } from './go-regexp.js';

// Answers of Go's regexp.MatchString (as Nomad runs it for `matches` and `regexp` constraints).
describe('matching as Go does', () => {
  test.each([
    ['(?i)WEB', 'web', true],
    ['(?i)linux', 'Linux', true],
    ['a.c', 'a\nc', false],
    ['(?s)a.c', 'a\nc', true],
    ['a.c', 'a\rc', true],
    ['(?m)^b$', 'a\nb\nc', true],
    ['^b$', 'a\nb\nc', false],
    ['a$', 'a\n', false],
    ['\\d+', '١٢', false],
    ['\\w+', 'é', false],
    ['\\s', '\u000b', false],
    ['[[:alpha:]]+', 'abc', true],
    ['[[:alpha:]]', '1', false],
    ['[[:^digit:]]', '1', false],
    ['[]a]', ']', true],
    ['\\pL+', 'αβγ', true],
    ['\\pL', '1', false],
    ['\\p{Greek}', 'α', true],
    ['\\PL', '1', true],
    ['\\Qa.b\\E', 'a.b', true],
    ['\\Qa.b\\E', 'axb', false],
    ['\\Q(?=\\E', '(?=', true],
    ['x(?i)a', 'xA', true],
    ['X(?i)a', 'xA', false],
    ['(?i:a)b', 'AB', false],
    ['(?i)a(?-i)b', 'Ab', true],
    ['(?i)a(?-i)b', 'AB', false],
    ['a{,2}', 'a{,2}', true],
    ['\\x{e9}', 'é', true],
    ['\\101', 'A', true],
    ['\\bfoo\\b', 'a foo b', true],
    ['|a', '', true],
    ['^*', 'x', true],
    ['\\A\\z', '', true],
    ['(?P<first>a)(?<second>b)', 'ab', true],
  ] as const)('%j against %j → %s', (pattern, subject, want) => {
    expect(compileGoRegexp(pattern).test(subject)).toBe(want);
  });

  // Go folds with Unicode's simple case folding: the long s folds with s and S, the Kelvin sign
  // with k and K, final sigma with Σ and σ.
  test.each([
    ['(?i)s', 'ſ'],
    ['(?i)S', 'ſ'],
    ['(?i)ſ', 'S'],
    ['(?i)k', '\u212a'],
    ['(?i)σ', 'ς'],
    ['(?i)[a-z]+', 'ſ\u212a'],
  ])('%j matches %j', (pattern, subject) => {
    expect(compileGoRegexp(pattern).test(subject)).toBe(true);
    expect(compileGoRegexp(pattern.replace('(?i)', '')).test(subject)).toBe(false);
  });

  test('nested quantifiers run in linear time: no backtracking', () => {
    const re = compileGoRegexp('^(a+)+$');
    expect(re.test(`${'a'.repeat(10_000)}!`)).toBe(false);
    expect(re.test('a'.repeat(10_000))).toBe(true);
    expect(compileGoRegexp('(x+x+)+y').test('x'.repeat(10_000))).toBe(false);
    expect(compileGoRegexp('(a|aa)*b').test('a'.repeat(10_000))).toBe(false);
  });

  test('a capture name used twice is accepted, as Go accepts it', () => {
    const re = compileGoRegexp('(?P<n>a)|(?<n>b)');
    expect(re.test('b')).toBe(true);
    expect(re.test('c')).toBe(false);
    // Only real groups lose their names: escaped, quoted and bracketed look-alikes stay literal.
    const tricky = compileGoRegexp('\\(?P<n>x\\)|\\Q(?P<n>\\E|[(?P<n>]|(?P<n>y)');
    expect(tricky.test('(P<n>x)')).toBe(true);
    expect(tricky.test('(?P<n>')).toBe(true);
    expect(tricky.test('?')).toBe(true);
    expect(tricky.test('y')).toBe(true);
    expect(tricky.test('z')).toBe(false);
  });

  test('names that are also properties of JavaScript objects are names like any other', () => {
    for (const name of ['constructor', '__proto__', 'toString']) {
      expect(compileGoRegexp(`(?P<${name}>a)`).test('a')).toBe(true);
    }
  });
});

// Texts of Go's regexp.Compile errors (regexp/syntax's Error: `error parsing regexp: <code>:
// `<expr>``).
describe("Go's errors for patterns Go refuses", () => {
  test.each([
    ['(a', 'error parsing regexp: missing closing ): `(a`'],
    [')', 'error parsing regexp: unexpected ): `)`'],
    ['[a', 'error parsing regexp: missing closing ]: `[a`'],
    ['a**', 'error parsing regexp: invalid nested repetition operator: `**`'],
    ['*a', 'error parsing regexp: missing argument to repetition operator: `*`'],
    ['(a)\\1', 'error parsing regexp: invalid escape sequence: `\\1`'],
    ['\\q', 'error parsing regexp: invalid escape sequence: `\\q`'],
    ['a(?=b)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['a(?!b)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?!`'],
    ['(?<=a)b', 'error parsing regexp: invalid named capture: `(?<=a)b`'],
    ['a{1001}', 'error parsing regexp: invalid repeat count: `{1001}`'],
    ['(a{100}){100}', 'error parsing regexp: invalid repeat count: `{100}`'],
    ['[z-a]', 'error parsing regexp: invalid character class range: `z-a`'],
    ['[[:foo:]]', 'error parsing regexp: invalid character class range: `[:foo:]`'],
    ['\\p{Foo}', 'error parsing regexp: invalid character class range: `\\p{Foo}`'],
    ['(?i-)a', 'error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`'],
    ['(?P<>a)', 'error parsing regexp: invalid named capture: `(?P<>`'],
    ['x{2}{3}', 'error parsing regexp: invalid nested repetition operator: `{2}{3}`'],
    ['\\C', 'error parsing regexp: invalid escape sequence: `\\C`'],
    ['a\\', 'error parsing regexp: trailing backslash at end of expression: ``'],
    ['(?P<n>a)(?P<n>b)(', 'error parsing regexp: missing closing ): `(?P<n>a)(?P<n>b)(`'],
  ])('%j', (pattern, message) => {
    expect(() => compileGoRegexp(pattern)).toThrow(new GoRegexpError(message));
    expect(goRegexpProblem(pattern)).toBe(message);
  });

  test("a pattern past berth's limits (before Go's size limit) is refused with berth's text", () => {
    // Go would answer `expression too large`; berth refuses long before compiling that much.
    expect(goRegexpProblem('(?:a{1000})'.repeat(3500))).toBe(
      "regular expression too long: 38500 bytes (berth's limit is 1024)",
    );
    expect(goRegexpProblem('(?:a{1000})'.repeat(5))).toMatch(/^regular expression too complex: /);
  });

  test('a pattern that compiles has no problem; a refused one stays refused when asked again', () => {
    expect(goRegexpProblem('(?i)linux')).toBeUndefined();
    expect(goRegexpProblem('(')).toBe('error parsing regexp: missing closing ): `(`');
    expect(() => compileGoRegexp('(')).toThrow(GoRegexpError);
  });
});
