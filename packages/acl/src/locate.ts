// Finding where in a policy's text a rule or value is, to name its line in an error. A cheap
// search for the words leading to it, in order; when they are not found as written (an escaped
// string, say), there is no line rather than a wrong one.

/** The offset of the last of `anchors`, each found as a whole word after the one before. */
export function findAnchors(text: string, anchors: readonly string[]): number | undefined {
  let from = 0;
  let at = -1;
  for (const anchor of anchors) {
    at = findWord(text, anchor === '' ? '""' : anchor, from);
    if (at < 0) return undefined;
    from = at + Math.max(anchor.length, 1);
  }
  return at < 0 ? undefined : at;
}

/** The line (from 1) of the last of `anchors`, or undefined. */
export function lineOfAnchors(text: string, anchors: readonly string[]): number | undefined {
  const at = findAnchors(text, anchors);
  return at === undefined ? undefined : lineAt(text, at);
}

/**
 * Go's `line:column` of the value assigned to the last of `anchors` (the key): past it, any
 * closing quote, spaces and the `=` or `:`. `-` when not found, as Go prints an unknown position.
 */
export function valuePosition(text: string, anchors: readonly string[]): string {
  const key = findAnchors(text, anchors);
  if (key === undefined) return '-';
  let i = key + (anchors[anchors.length - 1] ?? '').length;
  if (text[i] === '"') i++;
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (text[i] === '=' || text[i] === ':') i++;
  while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r') i++;
  return goPosition(text, i);
}

/** Go's token position: line from 1, column in characters from 1. */
export function goPosition(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const column = [...text.slice(lineStart, offset)].length + 1;
  return `${lineAt(text, offset)}:${column}`;
}

/** The line (from 1) of `offset`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The last offset of `word` as a whole word in `text`, or undefined. */
export function lastWord(text: string, word: string): number | undefined {
  let found: number | undefined;
  for (let at = findWord(text, word, 0); at >= 0; at = findWord(text, word, at + 1)) found = at;
  return found;
}

/** `word` not inside a longer identifier: neither neighbour is a letter, digit, `_` or `-`. */
function findWord(text: string, word: string, from: number): number {
  for (let at = text.indexOf(word, from); at !== -1; at = text.indexOf(word, at + 1)) {
    if (!isWordChar(text[at - 1]) && !isWordChar(text[at + word.length])) return at;
  }
  return -1;
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /^[A-Za-z0-9_-]$/.test(ch);
}
