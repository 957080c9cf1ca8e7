// How Go prints the values Nomad's diff compares (`fmt.Sprintf("%v", ...)` in
// `helper/flatmap`), and how Go orders strings (bytewise on UTF-8).

/** A JSON object as decoded: the shape every struct of a stored job has. */
export type JsonObject = Record<string, unknown>;

/** Whether a value is a JSON object (not an array, not null). */
export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A float64 as Go's `%v` prints it: the shortest representation, with an exponent (at least two
 * digits) below 1e-4 or from 1e21 on. Integers (every Go int field on the wire) print as digits.
 */
export function goNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  // Every number field of a job is a Go integer, where -0 (which JSON can carry) is 0.
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e-4 && abs < 1e21) {
    // JavaScript switches to an exponent only below 1e-6: the same digits otherwise.
    return String(value);
  }
  const [mantissa = '', exponent = '0'] = value.toExponential().split('e');
  const sign = exponent.startsWith('-') ? '-' : '+';
  const digits = exponent.replace(/^[+-]/, '');
  return `${mantissa}e${sign}${digits.padStart(2, '0')}`;
}

/** A primitive JSON value as Go prints it, or undefined when the value is no primitive. */
export function goPrimitive(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return goNumber(value);
  return undefined;
}

/**
 * Go's `a < b` on strings: bytewise on UTF-8, which is code point order. JavaScript's `<`
 * compares UTF-16 units, which differs from it for characters past U+FFFF.
 */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    // A surrogate (a code point past U+FFFF) sorts after every other unit.
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
