// The pieces of Go's strconv that go-bexpr leans on: the coercion of a filter's raw value to the
// type of the field it is compared with (ParseInt/ParseUint with base 0, ParseFloat, ParseBool),
// Unquote for string literals, and Quote for the `%q` texts in error messages.
import { goQuote, parseGoBool as parseContractBool } from '@berth/contract';

/** A strconv.NumError: `strconv.<func>: parsing "<num>": <invalid syntax | value out of range>`. */
export class GoNumError extends Error {
  constructor(
    readonly func: string,
    readonly num: string,
    readonly range: boolean,
  ) {
    super(
      `strconv.${func}: parsing ${goQuote(num)}: ${range ? 'value out of range' : 'invalid syntax'}`,
    );
  }
}

const lower = (c: string) => c.toLowerCase();

/** Go's underscoreOK: underscores only between digits, or between a base prefix and a digit. */
function underscoreOK(text: string): boolean {
  let s = text;
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(lower(s[1] as string))) {
    i = 2;
    saw = '0';
    hex = lower(s[1] as string) === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i] as string;
    if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

const MAX_UINT64 = (1n << 64n) - 1n;

/** strconv.ParseUint(s, 0, 64) (base prefixes 0x, 0o, 0b, a leading 0 for octal, underscores). */
export function parseGoUint(s: string, func = 'ParseUint'): bigint {
  if (s === '') throw new GoNumError(func, s, false);
  let base = 10n;
  let digits = s;
  if (s[0] === '0') {
    const p = s.length >= 3 ? lower(s[1] as string) : '';
    if (p === 'b' || p === 'o' || p === 'x') {
      base = p === 'b' ? 2n : p === 'o' ? 8n : 16n;
      digits = s.slice(2);
    } else {
      base = 8n;
      digits = s.slice(1);
    }
  }
  let n = 0n;
  let underscores = false;
  for (const c of digits) {
    let d: bigint;
    if (c === '_') {
      underscores = true;
      continue;
    } else if (c >= '0' && c <= '9') d = BigInt(c.charCodeAt(0) - 48);
    else if (lower(c) >= 'a' && lower(c) <= 'z') d = BigInt(lower(c).charCodeAt(0) - 87);
    else throw new GoNumError(func, s, false);
    if (d >= base) throw new GoNumError(func, s, false);
    n = n * base + d;
    if (n > MAX_UINT64) throw new GoNumError(func, s, true);
  }
  if (underscores && !underscoreOK(s)) throw new GoNumError(func, s, false);
  return n;
}

/** strconv.ParseInt(s, 0, 64). */
export function parseGoInt(s: string): bigint {
  if (s === '') throw new GoNumError('ParseInt', s, false);
  let neg = false;
  let rest = s;
  if (s[0] === '+') rest = s.slice(1);
  else if (s[0] === '-') {
    neg = true;
    rest = s.slice(1);
  }
  let un: bigint;
  try {
    un = parseGoUint(rest, 'ParseInt');
  } catch (err) {
    if (err instanceof GoNumError && !err.range) throw new GoNumError('ParseInt', s, false);
    un = MAX_UINT64;
  }
  const cutoff = 1n << 63n;
  if ((!neg && un >= cutoff) || (neg && un > cutoff)) throw new GoNumError('ParseInt', s, true);
  return neg ? -un : un;
}

/** strconv.ParseFloat(s, 64): decimal or hexadecimal (with a `p` exponent), inf, infinity, nan. */
export function parseGoFloat(s: string): number {
  const special = /^([+-]?)(inf|infinity)$/i.exec(s);
  if (special) return special[1] === '-' ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  const fail = (range = false) => new GoNumError('ParseFloat', s, range);
  if (s.includes('_') && !underscoreOK(s)) throw fail();
  const t = s.replaceAll('_', '');
  let value: number;
  const hex = /^([+-]?)0x([0-9a-f]*)(?:\.([0-9a-f]*))?p([+-]?\d+)$/i.exec(t);
  if (hex) {
    const [, sign, int = '', frac = '', exp = '0'] = hex;
    if (int === '' && frac === '') throw fail();
    const mantissa = BigInt(`0x${int}${frac}` === '0x' ? '0' : `0x${int}${frac}`);
    value = Number(mantissa) * 2 ** (Number(exp) - 4 * frac.length);
    if (sign === '-') value = -value;
  } else if (/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i.test(t)) {
    // (`\d+(?:\.\d*)?`, not `\d+\.?\d*`: a long run of digits has one split, so no backtracking.)
    value = Number(t);
  } else {
    throw fail();
  }
  if (!Number.isFinite(value)) throw fail(true);
  return value;
}

/** strconv.ParseBool, throwing Go's error where the contract's answers undefined. */
export function parseGoBool(s: string): boolean {
  const value = parseContractBool(s);
  if (value === undefined) throw new GoNumError('ParseBool', s, false);
  return value;
}

/** The error strconv.Unquote returns for every malformed literal. */
export class GoSyntaxError extends Error {
  constructor() {
    super('invalid syntax');
  }
}

const SIMPLE_UNESCAPES: Readonly<Record<string, number>> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 92,
  '"': 34,
};

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/**
 * strconv.Unquote of a `"…"` or `` `…` `` literal. Escapes `\xNN` and `\NNN` give single bytes (the
 * result is decoded as UTF-8, bytes that do not form UTF-8 becoming U+FFFD); `\u`, `\U` give runes.
 */
export function goUnquote(literal: string): string {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote) throw new GoSyntaxError();
  const body = literal.slice(1, -1);
  if (quote === '`') {
    if (body.includes('`')) throw new GoSyntaxError();
    return body.replaceAll('\r', '');
  }
  if (quote !== '"') throw new GoSyntaxError();
  if (body.includes('\n')) throw new GoSyntaxError();
  if (!body.includes('\\') && !body.includes('"')) return body;
  const bytes: number[] = [];
  const chars = Array.from(body);
  const hexAt = (from: number, n: number): number => {
    const text = chars.slice(from, from + n).join('');
    if (text.length !== n || !/^[0-9a-fA-F]+$/.test(text)) throw new GoSyntaxError();
    return parseInt(text, 16);
  };
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === '"') throw new GoSyntaxError();
    if (c !== '\\') {
      bytes.push(...utf8.encode(c));
      continue;
    }
    const e = chars[++i];
    if (e === undefined) throw new GoSyntaxError();
    const simple = SIMPLE_UNESCAPES[e];
    if (simple !== undefined) bytes.push(simple);
    else if (e === 'x') {
      bytes.push(hexAt(i + 1, 2));
      i += 2;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const cp = hexAt(i + 1, n);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new GoSyntaxError();
      bytes.push(...utf8.encode(String.fromCodePoint(cp)));
      i += n;
    } else if (e >= '0' && e <= '7') {
      const text = chars.slice(i, i + 3).join('');
      if (!/^[0-7]{3}$/.test(text)) throw new GoSyntaxError();
      const v = parseInt(text, 8);
      if (v > 255) throw new GoSyntaxError();
      bytes.push(v);
      i += 2;
    } else {
      throw new GoSyntaxError();
    }
  }
  return utf8Decoder.decode(new Uint8Array(bytes));
}
