// A sorted secondary index over immutable objects: what a go-memdb index is to Nomad's state store,
// kept as one sorted array of object references (8 bytes per entry, no key copies).

/** One component of an index key. Numbers compare numerically, strings by UTF-16 code unit. */
export type KeyPart = string | number;

/** Reads one key component from an object. */
export type KeyField<T> = (obj: T) => KeyPart;

/** One object's change as seen by an index. */
export interface IndexChange<T> {
  before?: T | undefined;
  after?: T | undefined;
}

/** A range of an index: equality on the leading fields, then optional prefix, start and direction. */
export interface RangeQuery {
  /** Values the leading key fields must equal, in field order. */
  eq?: readonly KeyPart[];
  /** A string prefix the next field (after `eq`) must start with. */
  prefix?: string;
  /**
   * Start here (inclusive): values for the fields after `eq`. Forward scans skip entries before
   * it; reverse scans skip entries after it. Used to resume a paginated list.
   */
  from?: readonly KeyPart[];
  /** Scan from the greatest key down. */
  reverse?: boolean;
}

function comparePart(a: KeyPart, b: KeyPart): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Entries ordered by `fields`, then by the primary key, so every entry has a distinct position and
 * an entry is found again by binary search from the object alone.
 */
export class SortedIndex<T> {
  private entries: T[] = [];
  private readonly fields: readonly KeyField<T>[];

  constructor(
    readonly name: string,
    fields: readonly KeyField<T>[],
    primaryKey: KeyField<T>,
  ) {
    this.fields = [...fields, primaryKey];
  }

  get size(): number {
    return this.entries.length;
  }

  /** Orders two entries by the full key (fields, then primary key). */
  compare(a: T, b: T): number {
    for (const field of this.fields) {
      const c = comparePart(field(a), field(b));
      if (c !== 0) return c;
    }
    return 0;
  }

  /** Compares an entry's first `probe.length` fields, starting at field `offset`, with `probe`. */
  private compareProbe(entry: T, probe: readonly KeyPart[], offset = 0): number {
    for (let i = 0; i < probe.length; i++) {
      const field = this.fields[offset + i];
      if (field === undefined) break;
      const c = comparePart(field(entry), probe[i] as KeyPart);
      if (c !== 0) return c;
    }
    return 0;
  }

  /** First position in [lo, hi) where `before` is false (`before` must be true-then-false). */
  private partition(lo: number, hi: number, before: (entry: T) => boolean): number {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(this.entries[mid] as T)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private positionOf(obj: T): number {
    const i = this.partition(0, this.entries.length, (e) => this.compare(e, obj) < 0);
    return i < this.entries.length && this.compare(this.entries[i] as T, obj) === 0 ? i : -1;
  }

  /** Replaces the whole content (used on load): one sort instead of n inserts. */
  reset(objs: readonly T[]): void {
    this.entries = [...objs].sort((a, b) => this.compare(a, b));
  }

  /**
   * Applies one write. For each change, `before` is the object's previous version (absent when it
   * is new) and `after` its new version (absent when it is deleted). An object whose key did not
   * change is replaced in place; large batches are merged in one pass instead of spliced one by one.
   */
  apply(changes: readonly IndexChange<T>[]): void {
    const removed: T[] = [];
    const added: T[] = [];
    for (const { before, after } of changes) {
      if (before !== undefined && after !== undefined && this.compare(before, after) === 0) {
        const i = this.positionOf(before);
        if (i >= 0) {
          this.entries[i] = after;
          continue;
        }
      }
      if (before !== undefined) removed.push(before);
      if (after !== undefined) added.push(after);
    }
    const moves = removed.length + added.length;
    if (moves > 64 && moves > this.entries.length / 16) {
      this.rebuild(removed, added);
      return;
    }
    for (const obj of removed) {
      const i = this.positionOf(obj);
      if (i >= 0) this.entries.splice(i, 1);
    }
    for (const obj of added) {
      const i = this.partition(0, this.entries.length, (e) => this.compare(e, obj) < 0);
      this.entries.splice(i, 0, obj);
    }
  }

  private rebuild(removed: readonly T[], added: readonly T[]): void {
    const gone = new Set<T>(removed);
    const kept = this.entries.filter((e) => !gone.has(e));
    const fresh = [...added].sort((a, b) => this.compare(a, b));
    const merged: T[] = new Array<T>(kept.length + fresh.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < kept.length && j < fresh.length) {
      const a = kept[i] as T;
      const b = fresh[j] as T;
      if (this.compare(a, b) <= 0) {
        merged[k++] = a;
        i++;
      } else {
        merged[k++] = b;
        j++;
      }
    }
    while (i < kept.length) merged[k++] = kept[i++] as T;
    while (j < fresh.length) merged[k++] = fresh[j++] as T;
    this.entries = merged;
  }

  /** The entries of a range, copied (later writes do not change the returned array). */
  range(query: RangeQuery = {}): T[] {
    const [lo, hi] = this.bounds(query);
    const out = this.entries.slice(lo, hi);
    return query.reverse ? out.reverse() : out;
  }

  /** Number of entries in a range, without copying them. */
  count(query: RangeQuery = {}): number {
    const [lo, hi] = this.bounds(query);
    return hi - lo;
  }

  private bounds(query: RangeQuery): [number, number] {
    const eq = query.eq ?? [];
    let lo = this.partition(0, this.entries.length, (e) => this.compareProbe(e, eq) < 0);
    let hi = this.partition(lo, this.entries.length, (e) => this.compareProbe(e, eq) <= 0);
    const { prefix } = query;
    const next = this.fields[eq.length];
    if (prefix !== undefined && prefix !== '' && next !== undefined) {
      lo = this.partition(lo, hi, (e) => String(next(e)) < prefix);
      hi = this.partition(lo, hi, (e) => String(next(e)).startsWith(prefix));
    }
    const { from } = query;
    if (from !== undefined && from.length > 0) {
      if (query.reverse)
        hi = this.partition(lo, hi, (e) => this.compareProbe(e, from, eq.length) <= 0);
      else lo = this.partition(lo, hi, (e) => this.compareProbe(e, from, eq.length) < 0);
    }
    return [lo, hi];
  }
}
