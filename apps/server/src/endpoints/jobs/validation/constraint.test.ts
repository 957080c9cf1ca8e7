import { describe, expect, test } from 'vitest';
import { validateAffinity, validateConstraint } from './constraint.js';

const constraint = (Operand: string, RTarget: string) => ({
  LTarget: '${attr.kernel.name}',
  Operand,
  RTarget,
});
const affinity = (Operand: string, RTarget: string) => ({
  ...constraint(Operand, RTarget),
  Weight: 50,
});

describe('regexp operands compile as Go compiles them (Constraint.Validate)', () => {
  test.each(['(?i)linux', '^\\pL+$', '[[:alpha:]]', '\\Qa.b\\E', '(?s)a.b', '(?P<n>a)|(?P<n>b)'])(
    '%j is accepted',
    (pattern) => {
      expect(validateConstraint(constraint('regexp', pattern))).toEqual([]);
      expect(validateAffinity(affinity('regexp', pattern))).toEqual([]);
    },
  );

  test.each([
    ['lin(?=ux)', 'invalid or unsupported Perl syntax: `(?=`'],
    ['(a)\\1', 'invalid escape sequence: `\\1`'],
    ['(a', 'missing closing ): `(a`'],
    ['a**', 'invalid nested repetition operator: `**`'],
  ])("%j is refused with Nomad's text", (pattern, detail) => {
    const text = `Regular expression failed to compile: error parsing regexp: ${detail}`;
    expect(validateConstraint(constraint('regexp', pattern))).toEqual([text]);
    expect(validateAffinity(affinity('regexp', pattern))).toEqual([text]);
  });
});

describe('version operands', () => {
  test('a long malformed term is refused without backtracking', () => {
    const term = `${'1'.repeat(200_000)}!`;
    expect(validateConstraint(constraint('version', term))).toEqual([
      `Version constraint is invalid: Malformed constraint: ${term}`,
    ]);
  });

  test('terms as go-version reads them', () => {
    expect(validateConstraint(constraint('version', '>= 1.2, < 2'))).toEqual([]);
    expect(validateConstraint(constraint('version', '~> 1.2.3-beta1+build.5'))).toEqual([]);
    expect(validateConstraint(constraint('semver', '>= 1.2'))).toEqual([]);
    expect(validateConstraint(constraint('version', 'newest'))).toEqual([
      'Version constraint is invalid: Malformed constraint: newest',
    ]);
  });
});
