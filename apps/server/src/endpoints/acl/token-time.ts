// The times of an ACL token in Go's terms: RFC 3339 text with nanoseconds (as Go's time.Time
// marshals), read and computed exactly in nanoseconds (bigint), so a TTL and the checks of
// ACLToken.Validate see what Nomad sees.

const NS_PER_MS = 1_000_000n;

/** RFC 3339 as the contract has already checked it (Go's strict parser): date, time, fraction, zone. */
const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/;

/**
 * Nanoseconds since the epoch of an RFC 3339 time (fraction digits past the ninth dropped, as Go
 * does), or `undefined` when the text is not one.
 */
export function parseTimeNs(text: string): bigint | undefined {
  const m = RFC3339.exec(text);
  if (m === null) return undefined;
  const ms = Date.parse(`${m[1]}${m[3] === 'Z' ? 'Z' : m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  const fraction = BigInt((m[2] ?? '').slice(0, 9).padEnd(9, '0'));
  return BigInt(ms) * NS_PER_MS + fraction;
}

/** True for Go's zero time (`0001-01-01T00:00:00Z`): `IsZero`, no time at all. */
export function isZeroTime(ns: bigint): boolean {
  return ns === ZERO_TIME_NS;
}

const ZERO_TIME_NS = BigInt(Date.parse('0001-01-01T00:00:00Z')) * NS_PER_MS;

/** A UTC time as Go's RFC3339Nano prints it: the fraction without trailing zeros. */
export function formatTimeNs(ns: bigint): string {
  let ms = ns / NS_PER_MS;
  let rest = ns % NS_PER_MS;
  if (rest < 0n) {
    ms -= 1n;
    rest += NS_PER_MS;
  }
  const iso = new Date(Number(ms)).toISOString(); // 2024-01-02T03:04:05.678Z
  const digits = (iso.slice(20, 23) + rest.toString().padStart(6, '0')).replace(/0+$/, '');
  return `${iso.slice(0, 19)}${digits === '' ? '' : `.${digits}`}Z`;
}

/** Now, in nanoseconds since the epoch (at the clock's millisecond precision). */
export function nowNs(): bigint {
  return BigInt(Date.now()) * NS_PER_MS;
}

/**
 * A time a caller sent, as Go would print it back (fraction past nine digits dropped, trailing
 * zeros trimmed, its zone offset kept).
 */
export function canonicalTimeText(text: string): string {
  const m = RFC3339.exec(text);
  if (m === null) return text;
  const fraction = (m[2] ?? '').slice(0, 9).replace(/0+$/, '');
  return `${m[1]}${fraction === '' ? '' : `.${fraction}`}${m[3]}`;
}
