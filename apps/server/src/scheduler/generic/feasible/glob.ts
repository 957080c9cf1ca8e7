// ryanuber/go-glob, which Nomad uses to match a job's datacenters: `*` matches any run of
// characters, nothing else is special.

/** Whether `subject` matches `pattern`, where `*` is the only wildcard. */
export function globMatch(pattern: string, subject: string): boolean {
  if (pattern === '*') return true;
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === subject;
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (!subject.startsWith(first)) return false;
  let pos = first.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const at = subject.indexOf(parts[i] ?? '', pos);
    if (at < 0) return false;
    pos = at + (parts[i] ?? '').length;
  }
  return subject.length - last.length >= pos && subject.endsWith(last);
}
