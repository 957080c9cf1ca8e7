// A JSON number's literal text, kept for Go's decoder. JavaScript turns `9223372036854775808`,
// `9223372036854775807` and `1e2` into doubles that no longer say what was sent, but Go decides
// from the literal: an `int` field takes `9223372036854775807` and refuses `9223372036854775808`,
// `1e2` and `1.0`, and its error quotes the literal (`json: cannot unmarshal number 1e2 into ...`).
// A body parsed with {@link parseJson} remembers its text; {@link numberLiterals} reads numbers'
// literals back by their paths from the root, scanning the text only when first asked.

/** A path from a document's root: object keys as sent, array indexes. */
export type JsonPath = readonly (string | number)[];

const texts = new WeakMap<object, string>();
const scanned = new WeakMap<object, Map<string, string>>();

/**
 * Paths are recorded only this deep. Go-typed fields sit far above it (the deepest,
 * `Job.TaskGroups[i].Tasks[j].Resources.Networks[k].ReservedPorts[l].Value`, is 12 levels); the
 * limit keeps the scan linear however deeply a body nests.
 */
const MAX_DEPTH = 32;

/** Go's encoding/json refuses a document nested deeper than this (`maxNestingDepth`). */
export const MAX_NESTING_DEPTH = 10_000;

/**
 * A document nested deeper than {@link MAX_NESTING_DEPTH}, with Go's text
 * (`invalid character '[' exceeded max depth`).
 */
export class JsonDepthError extends SyntaxError {
  override name = 'JsonDepthError';
}

/**
 * `JSON.parse`, remembering the text of an object or array so that number literals can be read.
 * A document nested deeper than Go's decoder takes is refused first, as Go refuses it: deep
 * nesting costs JSON.parse time on the event loop and, for anything walking the value, stack.
 */
export function parseJson(text: string): unknown {
  const tooDeep = depthExceededAt(text);
  if (tooDeep !== -1) refuseTooDeep(text, tooDeep);
  const value: unknown = JSON.parse(text);
  if (typeof value === 'object' && value !== null) texts.set(value, text);
  return value;
}

/**
 * Where the opening bracket that nests past {@link MAX_NESTING_DEPTH} is, or -1. One pass without
 * recursion; brackets in strings (escaped quotes included) do not count. Exact for any text that is
 * valid JSON up to that bracket, which is all {@link refuseTooDeep} relies on.
 */
function depthExceededAt(text: string): number {
  // Each level takes a character: a shorter text cannot nest too deep.
  if (text.length <= MAX_NESTING_DEPTH) return -1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > MAX_NESTING_DEPTH) return i;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
  return -1;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * Throws the error Go's decoder gives for a text that nests too deep at `at`: Go reads in order,
 * so a syntax error before that bracket is reported instead (JSON.parse of the text before it then
 * fails on something other than its end; the prefix holds at most the limit's depth).
 */
function refuseTooDeep(text: string, at: number): never {
  try {
    JSON.parse(text.slice(0, at));
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    if (!/end of JSON input/.test(error.message)) throw error;
  }
  throw new JsonDepthError(`invalid character '${text[at]}' exceeded max depth`);
}

/**
 * How to read the literals of the numbers in a document parsed by {@link parseJson} that a double
 * does not say exactly (a fraction, an exponent, or more than 15 digits), by their path from the
 * root; `undefined` when the document has none, or its text is unknown (built in memory).
 */
export function numberLiterals(root: object): ((path: JsonPath) => string | undefined) | undefined {
  let literals = scanned.get(root);
  if (literals === undefined) {
    const text = texts.get(root);
    if (text === undefined) return undefined;
    literals = scanLiterals(text);
    scanned.set(root, literals);
  }
  if (literals.size === 0) return undefined;
  const found = literals;
  return (path) => found.get(JSON.stringify(path));
}

// One JSON token, white space skipped. The text is valid JSON (JSON.parse accepted it), so the
// sticky scan meets nothing else; a string is matched whole, escapes included.
const TOKEN =
  /\s*(?:("[^"\\]*(?:\\.[^"\\]*)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([{}[\],:])|true|false|null)/y;

/**
 * A literal a double renders differently: a fraction, an exponent, 16 digits or more, or `-0`
 * (which Go's unsigned types refuse).
 */
const INEXACT = /[.eE]|\d{16}|^-0$/;

/** Some inexact literal may be in the text. */
const MAYBE_INEXACT = /\d[.eE]|\d{16}|-0(?![.eE\d])/;

interface Frame {
  /** The key or index of the value being read in this container. */
  at: string | number;
  object: boolean;
  /** In an object: the next string is a key. */
  expectKey: boolean;
}

/** Every inexact number literal of a valid JSON text, by path (`JSON.stringify` of it). */
function scanLiterals(text: string): Map<string, string> {
  const literals = new Map<string, string>();
  if (!MAYBE_INEXACT.test(text)) return literals;
  const stack: Frame[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null && m[0] !== ''; m = TOKEN.exec(text)) {
    const [, str, num, punct] = m;
    const top = stack[stack.length - 1];
    if (str !== undefined) {
      if (top?.object && top.expectKey) {
        top.at = JSON.parse(str) as string;
        top.expectKey = false;
      }
    } else if (num !== undefined) {
      const inexact = INEXACT.test(num);
      if (stack.length > MAX_DEPTH || (!inexact && literals.size === 0)) continue;
      const path = JSON.stringify(stack.map((f) => f.at));
      // A later duplicate key replaces the value, as JSON.parse keeps the last one.
      if (inexact) literals.set(path, num);
      else literals.delete(path);
    } else if (punct === '{') {
      stack.push({ at: '', object: true, expectKey: true });
    } else if (punct === '[') {
      stack.push({ at: 0, object: false, expectKey: false });
    } else if (punct === '}' || punct === ']') {
      stack.pop();
    } else if (punct === ',' && top) {
      if (top.object) top.expectKey = true;
      else top.at = (top.at as number) + 1;
    }
  }
  return literals;
}
