// Go's time.Duration text: the formatter behind `%v` of a duration (Duration.String) and the
// parser behind `?wait=` (time.ParseDuration). Computed with bigint so every nanosecond is exact.

const NS = 1n;
const US = 1_000n;
const MS = 1_000_000n;
const S = 1_000_000_000n;
const MIN = 60n * S;
const H = 60n * MIN;
const MAX_ABS = 1n << 63n;

/** Go's unit names, including both spellings of micro (U+00B5 and U+03BC). */
const UNITS: Readonly<Record<string, bigint>> = {
  ns: NS,
  us: US,
  µs: US,
  μs: US,
  ms: MS,
  s: S,
  m: MIN,
  h: H,
};

/** `v / 10**prec` as `.ddd` with trailing zeros dropped, and no dot when the fraction is 0. */
function fraction(v: bigint, prec: number): { text: string; rest: bigint } {
  const scale = 10n ** BigInt(prec);
  const frac = (v % scale).toString().padStart(prec, '0').replace(/0+$/, '');
  return { text: frac === '' ? '' : `.${frac}`, rest: v / scale };
}

/**
 * Formats nanoseconds as Go's `time.Duration.String()` does: `"0s"`, `"300ms"`, `"1.5s"`,
 * `"1m30s"`, `"2h0m0s"`, `"1.2µs"`. Fractional input is truncated to whole nanoseconds.
 */
export function formatGoDuration(ns: number | bigint): string {
  let u = typeof ns === 'bigint' ? ns : BigInt(Math.trunc(ns));
  const neg = u < 0n;
  if (neg) u = -u;
  let out: string;
  if (u === 0n) return '0s';
  if (u < S) {
    // Below a second Go switches to the largest unit that keeps an integer part.
    const [unit, prec] = u < US ? ['ns', 0] : u < MS ? ['µs', 3] : ['ms', 6];
    const f = fraction(u, prec);
    out = `${f.rest}${f.text}${unit}`;
  } else {
    const f = fraction(u, 9);
    let rest = f.rest;
    out = `${rest % 60n}${f.text}s`;
    rest /= 60n;
    if (rest > 0n) {
      out = `${rest % 60n}m${out}`;
      rest /= 60n;
      if (rest > 0n) out = `${rest}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/**
 * Parses a Go duration (`time.ParseDuration`): a sign, then one or more decimal numbers each with
 * a unit (`ns`, `us`/`µs`/`μs`, `ms`, `s`, `m`, `h`), e.g. `"10s"`, `"1m30s"`, `"1.5h"`, `"-2ms"`.
 * A bare `"0"` is the only number allowed without a unit. Returns nanoseconds, or `undefined` when
 * Go would return an error (bad syntax, unknown unit, overflow of int64).
 */
export function parseGoDuration(text: string): number | undefined {
  const ns = parseGoDurationBig(text);
  return ns === undefined ? undefined : Number(ns);
}

/** As {@link parseGoDuration}, exact, as a bigint. */
export function parseGoDurationBig(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s);
    if (!m || m[0] === '' || m[0] === '.') return undefined;
    const intDigits = m[1] ?? '';
    const fracDigits = m[2] ?? '';
    if (intDigits === '' && fracDigits === '') return undefined;
    s = s.slice(m[0].length);
    const unitMatch = /^[^\d.]+/.exec(s);
    if (!unitMatch) return undefined;
    const unit = UNITS[unitMatch[0]];
    if (unit === undefined) return undefined;
    s = s.slice(unitMatch[0].length);
    const v = intDigits === '' ? 0n : BigInt(intDigits);
    if (v > MAX_ABS / unit) return undefined;
    let value = v * unit;
    if (fracDigits !== '') {
      // As Go: the fraction's digits as an integer (digits past int64 are dropped) scaled
      // through float64, truncated.
      let f = 0n;
      let scale = 1;
      for (const d of fracDigits) {
        if (f > (MAX_ABS - 1n) / 10n) break;
        const next = f * 10n + BigInt(d);
        if (next > MAX_ABS) break;
        f = next;
        scale *= 10;
      }
      if (f > 0n) {
        value += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
        if (value > MAX_ABS) return undefined;
      }
    }
    total += value;
    if (total > MAX_ABS) return undefined;
  }
  if (neg) return -total;
  if (total > MAX_ABS - 1n) return undefined;
  return total;
}
