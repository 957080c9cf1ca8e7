// hashicorp/go-version, as Nomad's `version` constraint operand uses it: versions such as
// `1.2.3`, `v1.2`, `1.2.0-beta1+build`, and constraints such as `>= 1.2, < 2.0` or `~> 1.2.3`.

import { RE2JS } from 're2js';

export interface GoVersion {
  /** Numeric segments, padded to at least three (`1.2` is `1.2.0`). */
  readonly segments: readonly number[];
  /** The number of segments written (`~>` depends on it). */
  readonly written: number;
  readonly pre: string;
}

// Both patterns run on Go's regexp (re2js), as in go-version: linear in the length of the text,
// where JavaScript's RegExp backtracks quadratically over a long version or constraint.
const VERSION_RE = RE2JS.compile(
  /^v?(\d+(?:\.\d+)*?)(?:-([0-9]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*)|(?:-?([A-Za-z\-~]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*)))?(?:\+[0-9A-Za-z\-~]+(?:\.[0-9A-Za-z\-~]+)*)?$/
    .source,
);

/** Parses a version; `undefined` when it is not one. */
export function parseGoVersion(text: string): GoVersion | undefined {
  const m = VERSION_RE.exec(text.trim()) as Array<string | undefined> | null;
  if (m === null) return undefined;
  const written = (m[1] ?? '').split('.').map(Number);
  if (written.some((n) => !Number.isSafeInteger(n))) return undefined;
  const segments = [...written];
  while (segments.length < 3) segments.push(0);
  return { segments, written: written.length, pre: m[2] ?? m[3] ?? '' };
}

function comparePrereleasePart(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return Math.sign(Number(a) - Number(b));
  if (an) return -1;
  if (bn) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePrerelease(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1; // a release sorts after its pre-releases
  if (b === '') return -1;
  const ap = a.split('.');
  const bp = b.split('.');
  for (let i = 0; i < Math.max(ap.length, bp.length); i++) {
    const x = ap[i];
    const y = bp[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const c = comparePrereleasePart(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

/** -1, 0 or 1 as `a` is older than, equal to or newer than `b`. */
export function compareGoVersions(a: GoVersion, b: GoVersion): number {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const d = (a.segments[i] ?? 0) - (b.segments[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return comparePrerelease(a.pre, b.pre);
}

function sameSegments(a: GoVersion, b: GoVersion): boolean {
  return compareGoVersions({ ...a, pre: '' }, { ...b, pre: '' }) === 0;
}

// A constraint without a pre-release matches only releases; one with a pre-release matches
// pre-releases of the same version only (go-version's prereleaseCheck).
function prereleaseCheck(v: GoVersion, c: GoVersion): boolean {
  if (c.pre !== '' && v.pre !== '') return sameSegments(v, c);
  if (c.pre === '' && v.pre !== '') return false;
  return true;
}

type Check = (v: GoVersion) => boolean;

const CONSTRAINT_RE = RE2JS.compile(/^\s*(=|!=|>=|<=|>|<|~>)?\s*(\S+)\s*$/.source);

function parseOne(text: string): Check | undefined {
  const m = CONSTRAINT_RE.exec(text) as Array<string | undefined> | null;
  if (m === null) return undefined;
  const c = parseGoVersion(m[2] ?? '');
  if (c === undefined) return undefined;
  switch (m[1] ?? '=') {
    case '=':
      return (v) => compareGoVersions(v, c) === 0;
    case '!=':
      return (v) => compareGoVersions(v, c) !== 0;
    case '>':
      return (v) => prereleaseCheck(v, c) && compareGoVersions(v, c) > 0;
    case '<':
      return (v) => prereleaseCheck(v, c) && compareGoVersions(v, c) < 0;
    case '>=':
      return (v) => prereleaseCheck(v, c) && compareGoVersions(v, c) >= 0;
    case '<=':
      return (v) => prereleaseCheck(v, c) && compareGoVersions(v, c) <= 0;
    default:
      // `~> 1.2.3` means >= 1.2.3 and < 1.3; `~> 1.2` means >= 1.2 and < 2.
      return (v) => {
        if (!prereleaseCheck(v, c) || (c.pre !== '' && v.pre === '')) return false;
        if (compareGoVersions(v, c) < 0) return false;
        for (let i = 0; i < c.written - 1; i++) {
          if ((v.segments[i] ?? 0) !== (c.segments[i] ?? 0)) return false;
        }
        return true;
      };
  }
}

const cache = new Map<string, Check | null>();

/** Parses a comma-separated constraint list; `undefined` if any part is malformed. */
export function parseGoVersionConstraint(text: string): Check | undefined {
  let check = cache.get(text);
  if (check === undefined) {
    const parts = text.split(',').map(parseOne);
    check = parts.every((p) => p !== undefined) ? (v: GoVersion) => parts.every((p) => p(v)) : null;
    if (cache.size > 1024) cache.clear();
    cache.set(text, check);
  }
  return check ?? undefined;
}

/** Whether `version` satisfies `constraint` (false when either does not parse). */
export function versionMatches(version: string, constraint: string): boolean {
  const v = parseGoVersion(version);
  const check = parseGoVersionConstraint(constraint);
  return v !== undefined && check !== undefined && check(v);
}
