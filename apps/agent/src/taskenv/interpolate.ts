// Nomad's runtime interpolation (helper/args.ReplaceEnv): every `${key}` in a string is replaced by
// the key's value; a key that resolves to nothing is left as written, as Nomad does.

/** Resolves one interpolation key (`NOMAD_ALLOC_ID`, `attr.kernel.name`...). */
export type Resolver = (key: string) => string | undefined;

const PATTERN = /\$\{([^{}]+)\}/g;

/** Replaces each `${key}` in `text`. */
export function interpolateString(text: string, resolve: Resolver): string {
  return text.replace(PATTERN, (whole, key: string) => resolve(key.trim()) ?? whole);
}

/** Interpolates every string inside a value: lists and objects deeply, other values unchanged. */
export function interpolateDeep(value: unknown, resolve: Resolver): unknown {
  if (typeof value === 'string') return interpolateString(value, resolve);
  if (Array.isArray(value)) return value.map((v) => interpolateDeep(v, resolve));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, resolve)]),
    );
  }
  return value;
}
