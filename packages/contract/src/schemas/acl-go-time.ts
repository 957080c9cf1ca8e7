// Go's `time.Time` read from JSON (`Time.UnmarshalJSON`): a JSON string holding an RFC 3339 time,
// checked as Go's strict RFC 3339 parser checks it, failing with Go's texts, e.g.
// `parsing time "2024-13-01T00:00:00Z": month out of range`; and the texts of Go's
// `time.ParseDuration` errors. Used for an ACL token body (`CreateTime`, `ExpirationTime`,
// `ExpirationTTL`).
import { parseGoDurationBig } from '../go/duration.js';

const RFC3339 = '2006-01-02T15:04:05Z07:00';

/** Go's `Time.UnmarshalJSON` text for a value that is not a JSON string. */
export const TIME_NOT_A_JSON_STRING = 'Time.UnmarshalJSON: input is not a JSON string';

/**
 * A string quoted as Go's time package quotes it in errors: `"` and `\` escaped, control and
 * non-ASCII characters as `\x` escapes of their UTF-8 bytes.
 */
export function goTimeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code >= 0x80) {
      for (const byte of new TextEncoder().encode(ch)) {
        out += `\\x${byte.toString(16).padStart(2, '0')}`;
      }
    } else {
      out += ch === '"' || ch === '\\' ? `\\${ch}` : ch;
    }
  }
  return `${out}"`;
}

const isDigit = (s: string, i: number): boolean => i < s.length && s[i]! >= '0' && s[i]! <= '9';

function daysIn(month: number, year: number): number {
  if (month === 2) {
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    return leap ? 29 : 28;
  }
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 31;
}

/** Go's `getnum`: one or two digits (exactly two when `fixed`), or `undefined`. */
function getnum(s: string, fixed: boolean): { n: number; rest: string } | undefined {
  if (!isDigit(s, 0)) return undefined;
  if (!isDigit(s, 1)) {
    return fixed ? undefined : { n: Number(s[0]), rest: s.slice(1) };
  }
  return { n: Number(s.slice(0, 2)), rest: s.slice(2) };
}

const cannotParse = (value: string, elem: string, layoutElem: string): string =>
  `parsing time ${goTimeQuote(value)} as ${goTimeQuote(RFC3339)}: cannot parse ${goTimeQuote(elem)} as ${goTimeQuote(layoutElem)}`;

const withMessage = (value: string, message: string): string =>
  `parsing time ${goTimeQuote(value)}${message}`;

/**
 * Go's general `time.Parse(time.RFC3339, value)`, element by element as its layout walk goes:
 * `undefined` when it parses, else Go's error text.
 */
function parseLayout(value: string): string | undefined {
  let rest = value;
  const skip = (prefix: string): string | undefined => {
    for (const ch of prefix) {
      if (rest[0] !== ch) return cannotParse(value, rest, prefix);
      rest = rest.slice(1);
    }
    return undefined;
  };
  // 2006
  if (rest.length < 4 || !isDigit(rest, 0) || !/^\d{4}$/.test(rest.slice(0, 4))) {
    return cannotParse(value, rest, '2006');
  }
  const year = Number(rest.slice(0, 4));
  rest = rest.slice(4);
  // -01, -02, T15, :04, :05: two-digit fields, the hour alone may have one digit.
  const fields: [prefix: string, layout: string, fixed: boolean, max: number, name: string][] = [
    ['-', '01', true, 12, 'month'],
    ['-', '02', true, 0, ''],
    ['T', '15', false, 23, 'hour'],
    [':', '04', true, 59, 'minute'],
    [':', '05', true, 59, 'second'],
  ];
  const got: number[] = [];
  for (const [prefix, layout, fixed, max, name] of fields) {
    const bad = skip(prefix);
    if (bad) return bad;
    const hold = rest;
    const num = getnum(rest, fixed);
    if (!num) return cannotParse(value, hold, layout);
    rest = num.rest;
    if (name === 'month' && (num.n < 1 || num.n > max)) {
      return withMessage(value, ': month out of range');
    }
    if (name !== 'month' && name !== '' && num.n > max) {
      return withMessage(value, `: ${name} out of range`);
    }
    got.push(num.n);
  }
  // A fraction of a second after the seconds: `.` or `,` then digits.
  if (rest.length >= 2 && (rest[0] === '.' || rest[0] === ',') && isDigit(rest, 1)) {
    let n = 2;
    while (isDigit(rest, n)) n++;
    rest = rest.slice(n);
  }
  // Z07:00
  if (rest[0] === 'Z') {
    rest = rest.slice(1);
  } else {
    if (rest.length < 6 || rest[3] !== ':') return cannotParse(value, rest, 'Z07:00');
    // As Go: the minutes are read only when the hours were; a range error wins over a bad sign.
    const hr = getnum(rest.slice(1, 3), true);
    const mm = hr && getnum(rest.slice(4, 6), true);
    const sign = rest[0];
    if (mm && mm.n > 60) return withMessage(value, ': time zone offset minute out of range');
    if (hr && hr.n > 24) return withMessage(value, ': time zone offset hour out of range');
    if (!hr || !mm || (sign !== '+' && sign !== '-')) return cannotParse(value, rest, 'Z07:00');
    rest = rest.slice(6);
  }
  if (rest !== '') return withMessage(value, `: extra text: ${goTimeQuote(rest)}`);
  const [month = 1, day = 1] = got;
  if (day < 1 || day > daysIn(month, year)) return withMessage(value, ': day out of range');
  return undefined;
}

/**
 * Checks `value` as Go's `Time.UnmarshalJSON` checks the text of a JSON string: RFC 3339, two-digit
 * hour, `.` before a fraction, a zone offset within ±23:59. Returns Go's error text, or `undefined`
 * when Go accepts it.
 */
export function goRfc3339Error(value: string): string | undefined {
  const error = parseLayout(value);
  if (error !== undefined) return error;
  // What the general layout lets through and Go's strict RFC 3339 check refuses.
  if (value[12] === ':') return cannotParse(value, value.slice(11, 12), '15');
  if (value[19] === ',') return cannotParse(value, ',', '.');
  if (!value.endsWith('Z')) {
    if (Number(value.slice(-5, -3)) >= 24)
      return withMessage(value, ': timezone hour out of range');
    if (Number(value.slice(-2)) >= 60) return withMessage(value, ': timezone minute out of range');
  }
  return undefined;
}

/**
 * Go's `time.ParseDuration` error for `text` (`time: invalid duration "x"`,
 * `time: missing unit in duration "10"`, `time: unknown unit "d" in duration "1d"`), or
 * `undefined` when Go parses it. The value itself comes from `parseGoDuration`.
 */
export function goDurationError(text: string): string | undefined {
  const invalid = `time: invalid duration ${goTimeQuote(text)}`;
  let s = text;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  if (s === '0') return undefined;
  if (s === '') return invalid;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s, 0))) return invalid;
    const number = /^(\d*)(?:\.(\d*))?/.exec(s)?.[0] ?? '';
    if (number === '' || number === '.') return invalid;
    s = s.slice(number.length);
    const unit = /^[^\d.]*/.exec(s)?.[0] ?? '';
    if (unit === '') return `time: missing unit in duration ${goTimeQuote(text)}`;
    if (!DURATION_UNITS.has(unit)) {
      return `time: unknown unit ${goTimeQuote(unit)} in duration ${goTimeQuote(text)}`;
    }
    s = s.slice(unit.length);
  }
  // Syntax is fine: what is left is overflow, which Go reports as invalid.
  return parseGoDurationBig(text) === undefined ? invalid : undefined;
}

/** Go's duration units, both spellings of micro included. */
const DURATION_UNITS = new Set(['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h']);
