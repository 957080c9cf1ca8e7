// Nomad's glob (ryanuber/go-glob, used by acl/acl.go): `*` matches any run of characters and
// nothing else is special.

// Hand-written: go-glob is just `*` splitting with no escapes or classes, which no JS glob
// library reproduces, and a RegExp built from a user pattern could backtrack.

/** Whether `subject` matches `pattern`, in time linear in their lengths. */
export function globMatch(pattern: string, subject: string): boolean {
  if (pattern === '') return subject === '';
  if (pattern === '*') return true;
  const parts = pattern.split('*');
  if (parts.length === 1) return subject === pattern;

  const leading = parts[0] === '';
  const last = parts.length - 1;
  let pos = 0;
  for (let i = 0; i < last; i++) {
    const part = parts[i] ?? '';
    if (i === 0) {
      // Without a leading `*` the first part must start the subject.
      if (!leading && !subject.startsWith(part)) return false;
      pos = part.length;
      continue;
    }
    // The leftmost occurrence of each middle part leaves the most room for the rest.
    const at = indexFrom(subject, part, pos);
    if (at < 0) return false;
    pos = at + part.length;
  }
  const tail = parts[last] ?? '';
  return tail === '' || (subject.length - pos >= tail.length && subject.endsWith(tail));
}

/**
 * Knuth-Morris-Pratt search for `needle` in `haystack` from `from`: linear whatever the input,
 * where `indexOf`'s worst case is not specified.
 */
function indexFrom(haystack: string, needle: string, from: number): number {
  if (needle === '') return from;
  const fail = new Int32Array(needle.length);
  for (let i = 1, k = 0; i < needle.length; i++) {
    while (k > 0 && needle[i] !== needle[k]) k = fail[k - 1] ?? 0;
    if (needle[i] === needle[k]) k++;
    fail[i] = k;
  }
  for (let i = from, k = 0; i < haystack.length; i++) {
    while (k > 0 && haystack[i] !== needle[k]) k = fail[k - 1] ?? 0;
    if (haystack[i] === needle[k]) k++;
    if (k === needle.length) return i - needle.length + 1;
  }
  return -1;
}

/** The number of `*` in a glob. */
export function countStars(pattern: string): number {
  let stars = 0;
  for (const ch of pattern) if (ch === '*') stars++;
  return stars;
}
