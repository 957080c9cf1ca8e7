// Times as Nomad's client records them: task event `Time` in unix nanoseconds, task-state times
// as RFC 3339 with nanoseconds (Go's RFC3339Nano: trailing zeros of the fraction trimmed).

/** Now, in unix nanoseconds (microsecond precision: a JS number holds no more). */
export function nowNs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000) * 1000;
}

/** A unix-nanosecond time in RFC 3339 with up to nine fraction digits, UTC. */
export function rfc3339Nano(ns: number): string {
  const ms = Math.floor(ns / 1e6);
  const base = new Date(ms).toISOString().slice(0, 19);
  const fraction = String(Math.round(ns - Math.floor(ns / 1e9) * 1e9)).padStart(9, '0');
  const trimmed = fraction.replace(/0+$/, '');
  return trimmed === '' ? `${base}Z` : `${base}.${trimmed}Z`;
}
