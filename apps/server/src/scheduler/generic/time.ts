// Time in the units of Nomad's wire format: unix nanoseconds, and RFC 3339 with nanoseconds.

/** The current time in unix nanoseconds (a float64-safe integer at millisecond precision). */
export function nowNanos(): number {
  return Date.now() * 1_000_000;
}

/** RFC 3339 text of a unix-nanosecond time, with Go's trailing-zero-free fraction. */
export function rfc3339FromNanos(ns: number): string {
  const ms = Math.floor(ns / 1_000_000);
  const iso = new Date(ms).toISOString(); // 2024-01-02T03:04:05.678Z
  const frac = String(Math.round(ns - ms * 1_000_000)).padStart(6, '0');
  const nanos = (iso.slice(20, 23) + frac).replace(/0+$/, '');
  return iso.slice(0, 19) + (nanos === '' ? '' : `.${nanos}`) + 'Z';
}

/** Unix nanoseconds of an RFC 3339 time; `undefined` for null, Go's zero time or bad text. */
export function nanosFromRfc3339(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined || text === '' || text.startsWith('0001-01-01')) {
    return undefined;
  }
  const m = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (m === null) return undefined;
  const base = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(base)) return undefined;
  const frac = (m[2] ?? '').padEnd(9, '0').slice(0, 9);
  return base * 1_000_000 + Number(frac);
}
