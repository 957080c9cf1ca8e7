// Go's fmt renderings that Nomad's error texts carry: %q / %#v of strings and string slices,
// and %#v of acl.Policy's block structs (`&acl.NamespacePolicy{Name:"x", ...}`).

/**
 * Go's strconv.Quote (what `%q` and `%#v` print for a string). The contract has the same
 * function; this package does not import the contract because its parser thread loads these files
 * without the workspace's source condition (and zod's schemas would slow its start).
 */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      // A lone surrogate reaches Go as U+FFFD, which is printable.
      out += '\ufffd';
    } else if (ch === '"' || ch === '\\') {
      out += `\\${ch}`;
    } else if (ESCAPES[ch] !== undefined) {
      out += ESCAPES[ch];
    } else if (cp < 0x20 || cp === 0x7f) {
      out += `\\x${hex(cp, 2)}`;
    } else if (cp === 0x20 || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch)) {
      out += ch;
    } else if (cp < 0x10000) {
      out += `\\u${hex(cp, 4)}`;
    } else {
      out += `\\U${hex(cp, 8)}`;
    }
  }
  return `${out}"`;
}

const ESCAPES: Record<string, string | undefined> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
}

/** `%#v` of a []string: `[]string(nil)` when absent, else `[]string{"a", "b"}`. */
export function goStringSlice(values: readonly string[] | null): string {
  if (values === null) return '[]string(nil)';
  return `[]string{${values.map(goQuote).join(', ')}}`;
}

/** A field of a Go struct for {@link goStruct}: a string, a []string, or a rendered value. */
export type GoField = string | readonly string[] | null | { raw: string };

/** `%#v` of a pointer to a struct of package acl: `&acl.Name{Field:value, ...}`. */
export function goStruct(type: string, fields: readonly (readonly [string, GoField])[]): string {
  const body = fields.map(([name, value]) => `${name}:${goValue(value)}`).join(', ');
  return `&acl.${type}{${body}}`;
}

function goValue(value: GoField): string {
  if (typeof value === 'string') return goQuote(value);
  if (value === null || Array.isArray(value))
    return goStringSlice(value as readonly string[] | null);
  return (value as { raw: string }).raw;
}

/** Go's string comparison: byte-wise on UTF-8, which is code point order (not UTF-16's). */
export function goCompare(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Go's sort.Strings, in place. */
export function goSortStrings(values: string[]): string[] {
  return values.sort(goCompare);
}

/** Go's `len` of a string: its UTF-8 byte count. */
export function goLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
