// Go's quoting of strings and runes, as `%q` and `%#U` print them in Nomad's messages.

/** Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isGoPrint(ch: string): boolean {
  return ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** Go's `strconv.Quote` (what `%q` prints for a string): double quotes, Go escapes. */
export function goQuote(text: string): string {
  let out = '"';
  for (const raw of text) {
    // A lone surrogate cannot exist in Go's UTF-8; it would have decoded as U+FFFD.
    const ch = /^[\uD800-\uDFFF]$/.test(raw) ? '\uFFFD' : raw;
    const cp = ch.codePointAt(0) ?? 0;
    const simple = SIMPLE_ESCAPES[ch];
    if (simple !== undefined) out += simple;
    else if (isGoPrint(ch)) out += ch;
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}

/** Go's `%#U` of a rune: `U+007A 'z'`, without the quoted character when it is not printable. */
export function goRuneU(codePoint: number): string {
  const u = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  const ch = String.fromCodePoint(codePoint);
  return isGoPrint(ch) ? `${u} '${ch}'` : u;
}
