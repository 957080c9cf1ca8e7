// Go's regexp package as Nomad uses it on patterns users write: the filter language's `matches`
// (go-bexpr), the `regexp` operand of constraints and affinities (Constraint.Validate, the
// scheduler's checkRegexpMatch). RE2 syntax and semantics and linear-time matching, through re2js
// (a port of Go's regexp/syntax with Go's error texts), never JavaScript's backtracking RegExp.

import { RE2JS, RE2JSSyntaxException } from 're2js';
import { classEnd, estimatePatternCost, patternCostProblem } from './pattern-cost.js';

/** A pattern Go's regexp.Compile refuses; the message is Go's `err.Error()`. */
export class GoRegexpError extends Error {}

/** A compiled pattern. */
export interface GoRegexp {
  /** Go's MatchString: whether the pattern matches anywhere in `text`. */
  test(text: string): boolean;
  /** The estimated size of its program (pattern-cost.ts): a match costs up to this per character. */
  readonly cost: number;
}

/**
 * Go's regexp.Compile: the compiled pattern, or a {@link GoRegexpError} with Go's text, or with
 * berth's when the pattern is longer or costlier to compile than pattern-cost.ts allows.
 */
export function compileGoRegexp(pattern: string): GoRegexp {
  const cached = cache.get(pattern);
  if (cached !== undefined) {
    // Refresh its place: the cache drops the least recently used first.
    cache.delete(pattern);
    cache.set(pattern, cached);
  }
  const compiled = cached ?? compileUncached(pattern);
  if (cached === undefined) remember(pattern, compiled);
  if (compiled instanceof GoRegexpError) throw compiled;
  return compiled;
}

/** Why Go's regexp.Compile refuses `pattern` (Go's text), or undefined when it compiles. */
export function goRegexpProblem(pattern: string): string | undefined {
  try {
    compileGoRegexp(pattern);
    return undefined;
  } catch (err) {
    if (err instanceof GoRegexpError) return err.message;
    throw err;
  }
}

// Scheduling checks the same few constraint patterns against every node of every evaluation; a
// cache bounded in entries and in pattern text keeps that cheap without letting submitted
// patterns grow memory without end (a pattern's compiled form grows with its text).
const CACHE_ENTRIES = 512;
const CACHE_CHARS = 1 << 20;
/** A longer pattern is compiled each time rather than push out everything else. */
const CACHE_PATTERN_CHARS = 1 << 16;
const cache = new Map<string, GoRegexp | GoRegexpError>();
let cachedChars = 0;

function remember(pattern: string, compiled: GoRegexp | GoRegexpError): void {
  if (pattern.length > CACHE_PATTERN_CHARS) return;
  cache.set(pattern, compiled);
  cachedChars += pattern.length;
  for (const oldest of cache.keys()) {
    if (cache.size <= CACHE_ENTRIES && cachedChars <= CACHE_CHARS) break;
    cache.delete(oldest);
    cachedChars -= oldest.length;
  }
}

function compileUncached(pattern: string): GoRegexp | GoRegexpError {
  // berth's bounds (not Go's): compiling is one synchronous step that must not hold the loop.
  const tooCostly = patternCostProblem(pattern);
  if (tooCostly !== undefined) return new GoRegexpError(tooCostly);
  try {
    return withCost(RE2JS.compile(pattern), pattern);
  } catch (err) {
    if (!(err instanceof RE2JSSyntaxException)) throw err;
    if (err.error === DUPLICATE_NAME) return compileUnnamed(pattern);
    return new GoRegexpError(goErrorText(err, pattern));
  }
}

function withCost(re: RE2JS, pattern: string): GoRegexp {
  // The last answer is kept: a filter tries one pattern on the same value once per clause that
  // names it, and the scheduler one constraint on the same attribute of many nodes.
  let lastText: string | undefined;
  let lastResult = false;
  return {
    test: (text) => {
      if (text !== lastText) {
        lastResult = re.test(text);
        lastText = text;
      }
      return lastResult;
    },
    cost: estimatePatternCost(pattern),
  };
}

const DUPLICATE_NAME = 'duplicate capture group name';

/**
 * Go accepts a capture group name used twice (`(?P<n>a)|(?P<n>b)`), re2js does not. Matching
 * never reads captures, so the pattern is compiled again with its named groups made plain.
 */
function compileUnnamed(pattern: string): GoRegexp | GoRegexpError {
  const unnamed = withoutGroupNames(pattern);
  try {
    return withCost(RE2JS.compile(unnamed), pattern);
  } catch (err) {
    if (!(err instanceof RE2JSSyntaxException)) throw err;
    // Errors about the whole pattern (a missing or unexpected parenthesis) name the one written.
    const named = err.input === unnamed ? new RE2JSSyntaxException(err.error, pattern) : err;
    return new GoRegexpError(goErrorText(named, pattern));
  }
}

/**
 * Go's `*syntax.Error` text, `error parsing regexp: <code>: `<expr>``. re2js leaves out the
 * expression where Go gives an empty one (trailing backslash) or the whole pattern (the size and
 * nesting limits).
 */
function goErrorText(err: RE2JSSyntaxException, pattern: string): string {
  let expr = err.input;
  if (expr === null) expr = err.error === 'trailing backslash at end of expression' ? '' : pattern;
  return `error parsing regexp: ${err.error}: \`${expr}\``;
}

const GROUP_NAME = /\(\?P?<[A-Za-z0-9_]+>/y;

/**
 * `pattern` with `(?P<name>` and `(?<name>` opened as plain `(`. Walks the pattern as Go's parser
 * does just far enough to tell a group from the same characters escaped, quoted (`\Q…\E`) or
 * inside a character class.
 */
function withoutGroupNames(pattern: string): string {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    let next: number;
    if (c === '\\' && pattern[i + 1] === 'Q') {
      const end = pattern.indexOf('\\E', i + 2);
      next = end < 0 ? pattern.length : end + 2;
    } else if (c === '\\') {
      next = i + 2;
    } else if (c === '[') {
      next = classEnd(pattern, i);
    } else {
      GROUP_NAME.lastIndex = i;
      if (GROUP_NAME.test(pattern)) {
        out += '(';
        i = GROUP_NAME.lastIndex;
        continue;
      }
      next = i + 1;
    }
    out += pattern.slice(i, next);
    i = next;
  }
  return out;
}
