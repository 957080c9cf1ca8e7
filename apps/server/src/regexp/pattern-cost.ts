// berth's bounds on what compiling one user pattern may cost. re2js compiles in one synchronous
// step whose time grows with the program it builds: counted repetitions copy their operand
// (`\pL{0,1000}` is 2,000 instructions) and every Unicode class (`\pL`, `(?i:\p{Greek})`) builds
// its rune tables anew (about 0.1 to 0.4 ms each). Go accepts programs of millions of
// instructions; berth estimates the cost from the pattern's text, before compiling, and refuses
// what would hold the event loop (see README.md in this folder).

/** The longest pattern berth compiles, in UTF-8 bytes. */
export const MAX_PATTERN_BYTES = 1024;

/** The largest estimated cost berth compiles, in instructions (a Unicode class counts extra). */
export const MAX_PATTERN_COST = 3_000;

/**
 * The most work one match may do, in program size times characters: where re2js's DFA gives up
 * (`[\pL\pN]{0,1000}x`, `(?i)(?:\pL|\pN)*\pL{0,500}x`) its NFA was measured at up to 115 ns
 * per unit, so a match stays near 12 ms.
 */
export const MAX_MATCH_WORK = 100_000;

/** Why berth refuses to match a pattern of `cost` against `length` characters, or undefined. */
export function matchCostProblem(cost: number, length: number): string | undefined {
  if (cost * length <= MAX_MATCH_WORK) return undefined;
  return (
    `regular expression too costly to match against a value of ${length} characters: its ` +
    `size (about ${cost} instructions) times the value's length passes berth's limit of ` +
    `${MAX_MATCH_WORK}`
  );
}

/** What one Unicode class (`\pL`, `\P{Greek}`) costs to set up, in instructions. */
const UNICODE_CLASS_COST = 200;

/** Go's limit on a repeat count, and on nested counts multiplied (`invalid repeat count`). */
const MAX_REPEAT = 1000;

/** Why berth refuses to compile `pattern` (its text), or undefined when it is within bounds. */
export function patternCostProblem(pattern: string): string | undefined {
  const bytes = Buffer.byteLength(pattern, 'utf8');
  if (bytes > MAX_PATTERN_BYTES) {
    return `regular expression too long: ${bytes} bytes (berth's limit is ${MAX_PATTERN_BYTES})`;
  }
  const cost = estimatePatternCost(pattern);
  if (cost > MAX_PATTERN_COST) {
    return (
      `regular expression too complex: about ${cost} instructions once its repetitions and ` +
      `Unicode classes are expanded (berth's limit is ${MAX_PATTERN_COST})`
    );
  }
  return undefined;
}

/** Cost of one item: `setup` is paid once, `size` once per copy a repetition makes. */
interface Cost {
  setup: number;
  size: number;
  /** The product of the repeat counts applied to it (Go refuses more than 1,000). */
  repeats: number;
}

interface Frame {
  /** The finished items of the group so far. */
  done: Cost;
  /** The last item, which a following repetition operator applies to. */
  last: Cost | undefined;
}

const none = (): Cost => ({ setup: 0, size: 0, repeats: 1 });
const add = (a: Cost, b: Cost): Cost => ({
  setup: a.setup + b.setup,
  size: a.size + b.size,
  repeats: Math.max(a.repeats, b.repeats),
});

const FLAGS_ONLY = /\(\?[a-zA-Z-]*\)/y;
const GROUP_OPEN = /\((?:\?(?:P?<[A-Za-z0-9_]+>|[a-zA-Z-]*:))?/y;
const COUNTED = /\{(\d+)(?:(,)(\d*))?\}/y;

/**
 * An upper estimate of the instructions re2js builds for `pattern`, after Go's calcSize: a
 * literal or class is one, a group adds its parts, `*+?` and `|` add one, `{n,m}` copies its
 * operand m times. Only far enough a parse to read groups, classes, escapes and `\Q…\E`; a
 * pattern Go refuses may be misread, which only makes the estimate larger or leaves Go's error to
 * re2js.
 */
export function estimatePatternCost(pattern: string): number {
  const stack: Frame[] = [{ done: none(), last: undefined }];
  let top = stack[0]!;
  const push = (item: Cost) => {
    if (top.last) top.done = add(top.done, top.last);
    top.last = item;
  };
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const stop = end < 0 ? pattern.length : end;
        for (let j = i + 2; j < stop; j++) push({ setup: 0, size: 1, repeats: 1 });
        i = end < 0 ? pattern.length : end + 2;
        continue;
      }
      const unicode = next === 'p' || next === 'P';
      push({ setup: unicode ? UNICODE_CLASS_COST : 0, size: 1, repeats: 1 });
      i += unicode && pattern[i + 2] === '{' ? closing(pattern, i, '}') : 2;
      continue;
    }
    if (c === '[') {
      const end = classEnd(pattern, i);
      const text = pattern.slice(i, end);
      const classes = (text.match(/\\[pP]/g) ?? []).length;
      push({ setup: classes * UNICODE_CLASS_COST, size: 1, repeats: 1 });
      i = end;
      continue;
    }
    if (c === '(') {
      FLAGS_ONLY.lastIndex = i;
      if (FLAGS_ONLY.test(pattern)) {
        i = FLAGS_ONLY.lastIndex;
        continue;
      }
      GROUP_OPEN.lastIndex = i;
      GROUP_OPEN.test(pattern);
      i = GROUP_OPEN.lastIndex;
      top = { done: none(), last: undefined };
      stack.push(top);
      continue;
    }
    if (c === ')' && stack.length > 1) {
      stack.pop();
      const group = top.last ? add(top.done, top.last) : top.done;
      top = stack[stack.length - 1]!;
      push({ ...group, size: group.size + 2 });
      i++;
      continue;
    }
    if (c === '|') {
      if (top.last) top.done = add(top.done, top.last);
      top.last = undefined;
      top.done.size += 1;
      i++;
      continue;
    }
    if ((c === '*' || c === '+' || c === '?') && top.last) {
      top.last.size += 1;
      i++;
      continue;
    }
    if (c === '{' && top.last) {
      COUNTED.lastIndex = i;
      const m = COUNTED.exec(pattern);
      if (m) {
        const low = Number(m[1]);
        const high = m[2] === undefined ? low : m[3] === '' ? low + 1 : Number(m[3]);
        const copies = Math.max(low, high, 1);
        const repeats = top.last.repeats * copies;
        // Past Go's limit re2js refuses the pattern with Go's own text: leave that to it.
        if (low <= MAX_REPEAT && high <= MAX_REPEAT && repeats <= MAX_REPEAT) {
          top.last = { setup: top.last.setup, size: (top.last.size + 1) * copies, repeats };
        }
        i = COUNTED.lastIndex;
        continue;
      }
    }
    push({ setup: 0, size: 1, repeats: 1 });
    i++;
  }
  let total = none();
  for (const frame of stack) total = add(add(total, frame.done), frame.last ?? none());
  return total.setup + total.size;
}

/** The index just past the `close` that ends the construct at `start` (or the pattern's end). */
function closing(pattern: string, start: number, close: string): number {
  const end = pattern.indexOf(close, start);
  return end < 0 ? pattern.length - start : end + 1 - start;
}

/** The index just after the character class that opens at `start` (Go's parseClass). */
export function classEnd(pattern: string, start: number): number {
  let j = start + 1;
  if (pattern[j] === '^') j++;
  let first = true; // `]` first in a class is a literal
  while (j < pattern.length) {
    if (pattern[j] === ']' && !first) return j + 1;
    first = false;
    const named = pattern.startsWith('[:', j) ? pattern.indexOf(':]', j + 2) : -1;
    if (named >= 0) j = named + 2;
    else if (pattern[j] === '\\' && /[pP]/.test(pattern[j + 1] ?? '') && pattern[j + 2] === '{') {
      const close = pattern.indexOf('}', j);
      j = close < 0 ? pattern.length : close + 1;
    } else if (pattern[j] === '\\') j += 2;
    else j++;
  }
  return pattern.length;
}
