import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatch } from './glob.js';

/** A plain reference: `*` matches any run, by dynamic programming over both strings. */
function referenceMatch(pattern: string, subject: string): boolean {
  // matches[j]: pattern[0..i) matches subject[0..j)
  let matches = Array.from({ length: subject.length + 1 }, (_, j) => j === 0);
  for (const p of pattern) {
    const next = new Array<boolean>(subject.length + 1).fill(false);
    next[0] = p === '*' && (matches[0] ?? false);
    for (let j = 1; j <= subject.length; j++) {
      next[j] =
        p === '*'
          ? (matches[j] ?? false) || (next[j - 1] ?? false)
          : (matches[j - 1] ?? false) && subject[j - 1] === p;
    }
    matches = next;
  }
  return matches[subject.length] ?? false;
}

describe('globMatch', () => {
  it.each([
    ['', '', true],
    ['', 'a', false],
    ['*', '', true],
    ['*', 'anything', true],
    ['prod-*', 'prod-api', true],
    ['prod-*', 'prod-', true],
    ['prod-*', 'staging-api', false],
    ['*-api', 'prod-api', true],
    ['*-api', 'prod-api-2', false],
    ['prod-*-api', 'prod-web-api', true],
    ['prod-*-api', 'prod-api', false],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['*admin*', 'production-admin-api', true],
    ['production-**', 'production-admin-api', true],
    ['default', 'default', true],
    ['default', 'Default', false],
    ['ab*', 'a', false],
  ])('%j against %j is %s, as go-glob answers', (pattern, subject, expected) => {
    expect(globMatch(pattern, subject)).toBe(expected);
  });

  it('takes linear time on inputs that make naive searches quadratic', () => {
    const subject = 'a'.repeat(200_000);
    const pattern = `*${'a'.repeat(5_000)}b*${'a'.repeat(5_000)}`;
    const started = Date.now();
    expect(globMatch(pattern, subject)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('agrees with a simple reference on random strings (property)', () => {
    const text = (chars: string[], maxLength: number) =>
      fc.array(fc.constantFrom(...chars), { maxLength }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(
        text(['a', 'b', '*', '-'], 8),
        text(['a', 'b', '-', '*'], 12),
        (pattern, subject) => {
          expect(globMatch(pattern, subject)).toBe(referenceMatch(pattern, subject));
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
