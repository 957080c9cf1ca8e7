import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, test } from 'vitest';
import { compileGoRegexp, GoRegexpError, goRegexpProblem } from './go-regexp.js';
import {
  estimatePatternCost,
  MAX_MATCH_WORK,
  MAX_PATTERN_BYTES,
  MAX_PATTERN_COST,
  matchCostProblem,
} from './pattern-cost.js';

/** re2js's own count of the instructions it compiled (not part of its typed API). */
function instructions(pattern: string): number {
  const compiled = RE2JS.compile(pattern) as unknown as {
    re2Input: { numberOfInstructions(): number };
  };
  return compiled.re2Input.numberOfInstructions();
}

describe("berth's bounds on one pattern", () => {
  test('the longest pattern compiles; one byte more is refused with the limit in the text', () => {
    expect(goRegexpProblem('a'.repeat(MAX_PATTERN_BYTES))).toBeUndefined();
    expect(goRegexpProblem('a'.repeat(MAX_PATTERN_BYTES + 1))).toBe(
      `regular expression too long: ${MAX_PATTERN_BYTES + 1} bytes (berth's limit is ${MAX_PATTERN_BYTES})`,
    );
    // Bytes, as Go counts a pattern: é is two.
    expect(goRegexpProblem('é'.repeat(MAX_PATTERN_BYTES / 2 + 1))).toMatch(
      /^regular expression too long: 1026 bytes/,
    );
  });

  test('a short pattern whose repetitions expand past the limit is refused before compiling', () => {
    expect(goRegexpProblem('\\pL{0,1000}')).toBeUndefined();
    const problem = goRegexpProblem('\\pL{0,1000}\\pL{0,1000}');
    expect(problem).toMatch(/^regular expression too complex: about \d+ instructions/);
    expect(problem).toContain(`berth's limit is ${MAX_PATTERN_COST}`);
    expect(() => compileGoRegexp('(?:[\\pL\\pN]{0,500}){3}x')).toThrow(GoRegexpError);
  });

  test('many Unicode classes count for the tables each one builds', () => {
    expect(goRegexpProblem('(?i:\\pL)'.repeat(10))).toBeUndefined();
    expect(goRegexpProblem('(?i:\\pL)'.repeat(40))).toMatch(/^regular expression too complex/);
  });

  test("what Go itself refuses keeps Go's text", () => {
    expect(goRegexpProblem('a{1001}')).toBe('error parsing regexp: invalid repeat count: `{1001}`');
    expect(goRegexpProblem('(a{100}){100}')).toBe(
      'error parsing regexp: invalid repeat count: `{100}`',
    );
  });

  test('the estimate is never below the instructions re2js compiles', () => {
    const token = fc.constantFrom(
      'a',
      '.',
      '\\pL',
      '[a-z]',
      '[^\\pN]',
      '\\Qx.y\\E',
      '(?i)',
      '|',
      '(',
      ')',
      '(?:',
      '(?P<n>',
      '*',
      '+?',
      '{2}',
      '{0,30}',
      '{3,}',
      '\\b',
      '$',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 12 }), (tokens) => {
        const pattern = tokens.join('');
        let compiled: number;
        try {
          compiled = instructions(pattern);
        } catch {
          return; // patterns Go refuses have no program to compare with
        }
        // Every program also has its start, its match and the whole-match capture.
        expect(estimatePatternCost(pattern) + 4).toBeGreaterThanOrEqual(compiled);
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});

describe("berth's bound on one match", () => {
  test('size times length within the limit matches; past it the text says why', () => {
    expect(matchCostProblem(10, MAX_MATCH_WORK / 10)).toBeUndefined();
    expect(matchCostProblem(2000, 1000)).toBe(
      'regular expression too costly to match against a value of 1000 characters: its size ' +
        `(about 2000 instructions) times the value's length passes berth's limit of ${MAX_MATCH_WORK}`,
    );
  });

  test('a compiled pattern carries its estimated size', () => {
    expect(compileGoRegexp('^web-[0-9]{1,3}$').cost).toBe(estimatePatternCost('^web-[0-9]{1,3}$'));
  });
});
