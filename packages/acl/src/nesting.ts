// How deeply HCL1's recursive parser and decoder would descend into a text, measured before the
// text reaches them: gopherjs runs them on the JS stack, which overflows a few hundred levels
// down and leaves its runtime broken. Strings, comments and heredocs are skipped exactly as
// hashicorp/hcl's scanners skip them (hcl/scanner, json/scanner), so nothing they would parse
// can hide from the count; where this scan is unsure it counts more, never less.

/** The deepest nesting a policy may have: a real one needs about ten (JSON with variables). */
export const MAX_POLICY_NESTING = 32;

/**
 * The UTF-16 offset in `text` where nesting first passes `limit`, or undefined if it never does.
 * Each `{` or `[` is one level, and a block with labels one more per label, since the decoder
 * recurses once per key (`a b c {` is three levels).
 */
export function nestingBeyond(text: string, limit: number): number | undefined {
  return isJsonMode(text) ? scan(text, limit, JSON_MODE) : scan(text, limit, HCL_MODE);
}

interface Mode {
  /** hcl/scanner: `${` keeps a string open across `"` and newlines; json/scanner does not. */
  interpolation: boolean;
  /** hcl/scanner only: `#`, `//` and block comments, `<<` heredocs, NUL read as the end. */
  comments: boolean;
  /** After `\x`, `\u`, `\U` with no hex digit: hcl keeps the character read, json puts it back. */
  keepNonDigit: boolean;
}
const HCL_MODE: Mode = { interpolation: true, comments: true, keepNonDigit: true };
const JSON_MODE: Mode = { interpolation: false, comments: false, keepNonDigit: false };

/** hashicorp/hcl's lexMode: JSON when the first non-space character is `{`. */
function isJsonMode(text: string): boolean {
  for (const ch of text) {
    if (isGoSpace(ch.codePointAt(0) ?? 0)) continue;
    return ch === '{';
  }
  return false;
}

/** Go's unicode.IsSpace. */
function isGoSpace(cp: number): boolean {
  return (
    (cp >= 0x09 && cp <= 0x0d) ||
    cp === 0x20 ||
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

function scan(source: string, limit: number, mode: Mode): number | undefined {
  // hcl's parser turns CRLF into LF before scanning; offsets are mapped back for the caller.
  const text = mode.comments ? source.replaceAll('\r\n', '\n') : source;
  const levels: number[] = [];
  let depth = 0;
  let keys = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
    } else if (ch === '"') {
      i = skipString(text, i + 1, mode);
      keys++;
    } else if (mode.comments && (ch === '#' || (ch === '/' && text[i + 1] === '/'))) {
      i = skipLine(text, i + 1);
    } else if (mode.comments && ch === '/' && text[i + 1] === '*') {
      i = skipBlockComment(text, i + 2);
    } else if (mode.comments && ch === '<') {
      i = skipHeredoc(text, i + 1);
      keys = 0;
    } else if (ch === '{' || ch === '[') {
      const level = ch === '{' ? Math.max(1, keys) : 1;
      levels.push(level);
      depth += level;
      if (depth > limit) return mode.comments ? sourceOffset(source, i) : i;
      keys = 0;
      i++;
    } else if (ch === '}' || ch === ']') {
      depth -= levels.pop() ?? 0;
      keys = 0;
      i++;
    } else if (isWordChar(ch)) {
      // Identifiers, numbers and anything non-ASCII: counted as a key, which can only overcount.
      while (i < text.length && isWordChar(text[i] ?? '')) i++;
      keys++;
    } else {
      keys = 0;
      i++;
    }
  }
  return undefined;
}

function isWordChar(ch: string): boolean {
  return /^[A-Za-z0-9_.-]$/.test(ch) || ch.charCodeAt(0) >= 0x80;
}

/** hcl's scanner reads NUL as the end of input inside a token (json's does not). */
function isEnd(text: string, i: number, mode: Mode): boolean {
  return i >= text.length || (mode.comments && text[i] === '\0');
}

/** From just after the opening quote to just after the string's end (scanString). */
function skipString(text: string, start: number, mode: Mode): number {
  let braces = 0;
  let i = start;
  for (;;) {
    if (isEnd(text, i, mode)) return i + 1;
    const ch = text[i++];
    if (ch === '\n' && (braces === 0 || !mode.interpolation)) return i;
    if (ch === '"' && (braces === 0 || !mode.interpolation)) return i;
    if (braces === 0 && ch === '$' && text[i] === '{') {
      braces++;
      i++;
    } else if (braces > 0 && ch === '{') {
      braces++;
    }
    if (braces > 0 && ch === '}') braces--;
    if (ch === '\\') i = skipEscape(text, i, mode);
  }
}

/** From just after a backslash to just after the escape (scanEscape, scanDigits). */
function skipEscape(text: string, start: number, mode: Mode): number {
  if (isEnd(text, start, mode)) return start + 1;
  const ch = text[start] ?? '';
  let i = start + 1;
  let base: number;
  let digits: number;
  if (ch >= '0' && ch <= '7') {
    // The first octal digit is already read; up to two more follow.
    base = 8;
    digits = 3;
    let n = digits;
    let last = ch;
    let ended = false;
    while (n > 0 && digitValue(last) < base) {
      if (isEnd(text, i, mode)) {
        ended = true;
        i++;
        break;
      }
      last = text[i++] ?? '';
      n--;
    }
    return ended ? i : i - 1;
  }
  if (ch === 'x' || ch === 'u' || ch === 'U') {
    base = 16;
    digits = ch === 'x' ? 2 : ch === 'u' ? 4 : 8;
    if (isEnd(text, i, mode)) return i + 1;
    let last = text[i++] ?? '';
    let n = digits;
    let ended = false;
    while (n > 0 && digitValue(last) < base) {
      if (isEnd(text, i, mode)) {
        ended = true;
        i++;
        break;
      }
      last = text[i++] ?? '';
      n--;
    }
    if (ended) return i;
    // The last character read is put back, except by hcl when no digit was read at all.
    return n === digits && mode.keepNonDigit ? i : i - 1;
  }
  return i;
}

function digitValue(ch: string): number {
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  if (ch >= 'a' && ch <= 'f') return ch.charCodeAt(0) - 87;
  if (ch >= 'A' && ch <= 'F') return ch.charCodeAt(0) - 55;
  return 16;
}

/** A `#` or `//` comment: to the end of the line (or a NUL). */
function skipLine(text: string, start: number): number {
  let i = start;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\0') i++;
  return i;
}

/** A block comment: its closing star-slash must start after the opening one, or it runs on. */
function skipBlockComment(text: string, start: number): number {
  // hcl reads the character after `/*` before looking for the end, so `/*/` is still open.
  let i = start + 1;
  let previous = text[start] ?? '';
  if (start >= text.length || previous === '\0') return start + 1;
  for (;;) {
    if (i >= text.length || text[i] === '\0') return i + 1;
    const ch = text[i++];
    if (previous === '*' && ch === '/') return i;
    previous = ch ?? '';
  }
}

/** From just after `<` (scanHeredoc): `<<ANCHOR` or `<<-ANCHOR`, then lines to the anchor. */
function skipHeredoc(text: string, start: number): number {
  let i = start;
  if (isEnd(text, i, HCL_MODE)) return i + 1;
  // The character after `<` is consumed whatever it is.
  if (text[i++] !== '<') return i;
  const anchorStart = i;
  if (text[i] === '-') i++;
  for (;;) {
    const cp = text.codePointAt(i);
    if (cp === undefined || !isGoLetterOrDigit(cp)) break;
    i += cp > 0xffff ? 2 : 1;
  }
  if (isEnd(text, i, HCL_MODE)) return i + 1;
  const ident = text.slice(anchorStart, i);
  // Anything but a newline after the anchor is consumed and ends the heredoc.
  if (text[i++] !== '\n') return i;
  if (ident === '' || ident === '-') return i;
  const anchor = ident.startsWith('-') ? ident.slice(1) : ident;
  const identBytes = Buffer.byteLength(ident, 'utf8');
  let lineStart = i;
  for (;;) {
    if (isEnd(text, i, HCL_MODE)) return i + 1;
    if (text[i++] === '\n') {
      const line = text.slice(lineStart, i - 1);
      // hcl first compares byte counts with the anchor as written, `-` included.
      if (Buffer.byteLength(line, 'utf8') >= identBytes && isAnchorLine(line, anchor)) return i;
      lineStart = i;
    }
  }
}

/** hcl's `^[[:space:]]*ANCHOR\r*\z`. */
function isAnchorLine(line: string, anchor: string): boolean {
  let i = 0;
  while (i < line.length && ' \t\n\v\f\r'.includes(line[i] ?? 'x')) i++;
  if (!line.startsWith(anchor, i)) return false;
  for (let j = i + anchor.length; j < line.length; j++) if (line[j] !== '\r') return false;
  return true;
}

/** hcl's isLetter || isDigit on one code point. */
function isGoLetterOrDigit(cp: number): boolean {
  if ((cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) || cp === 0x5f) return true;
  if (cp >= 0x30 && cp <= 0x39) return true;
  return cp >= 0x80 && /^[\p{L}\p{Nd}]$/u.test(String.fromCodePoint(cp));
}

/** Maps an offset in the CRLF-normalised text back to `source`. */
function sourceOffset(source: string, offset: number): number {
  let removed = 0;
  for (let at = source.indexOf('\r\n'); at !== -1; at = source.indexOf('\r\n', at + 2)) {
    if (at - removed >= offset) break;
    removed++;
  }
  return offset + removed;
}
