// Query strings as Go's url.Values reads them for Nomad: `+` is a space, a key without `=` has the
// empty value, and when a key repeats the first value wins.

/** Parses a raw query string into one string per key. */
export function parseQueryString(raw: string): Record<string, string> {
  // No prototype: a key such as `__proto__` or `constructor` is just a key.
  const out = Object.create(null) as Record<string, string>;
  for (const [key, value] of new URLSearchParams(raw)) {
    if (!Object.hasOwn(out, key)) out[key] = value;
  }
  return out;
}
