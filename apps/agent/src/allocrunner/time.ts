// Times as Nomad's client records them: task event `Time` in unix nanoseconds, task-state times
// as RFC 3339 with nanoseconds (Go's RFC3339Nano: trailing zeros of the fraction trimmed).

/** Now, in unix nanoseconds (microsecond precision: a JS number holds no more). */
export function nowNs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000) * 1000;
}

/** A unix-nanosecond time in RFC 3339 with up to nine fraction digits, UTC. */
export function rfc3339Nano(ns: number): string {
  // Whole microseconds are exact in a JS number; nanoseconds of today's times are not.
  const us = Math.round(ns / 1000);
  const seconds = Math.floor(us / 1e6);
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  const fraction = `${String(us - seconds * 1e6).padStart(6, '0')}000`.replace(/0+$/, '');
  return fraction === '' ? `${base}Z` : `${base}.${fraction}Z`;
}
