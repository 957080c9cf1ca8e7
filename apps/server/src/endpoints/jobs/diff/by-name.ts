// Diffing lists whose items carry a name (groups, tasks, checks, identities, secrets, devices,
// regions): matched by that name, the last one winning when names repeat, as Go's maps do;
// and by position, or through queues of unpaired indexes (services, templates).
import type { JsonObject } from './go-format.js';

/** The items of a list keyed by a string field. */
export function keyedBy(items: readonly JsonObject[], key: string): Map<string, JsonObject> {
  return new Map(items.map((item) => [typeof item[key] === 'string' ? item[key] : '', item]));
}

/**
 * Pair the items of two lists by a key: every old item with its new one (or undefined), then
 * every new item that has no old one. `diff` decides what a pair yields.
 */
export function matchByKey<T>(
  old: readonly JsonObject[],
  next: readonly JsonObject[],
  key: string,
  diff: (a: JsonObject | undefined, b: JsonObject | undefined) => T | undefined,
): T[] {
  const oldMap = keyedBy(old, key);
  const nextMap = keyedBy(next, key);
  const out: T[] = [];
  for (const [name, item] of oldMap) {
    const d = diff(item, nextMap.get(name));
    if (d !== undefined) out.push(d);
  }
  for (const [name, item] of nextMap) {
    if (oldMap.has(name)) continue;
    const d = diff(undefined, item);
    if (d !== undefined) out.push(d);
  }
  return out;
}

/** Pair the items of two lists by position; the longer list's tail pairs with undefined. */
export function matchByIndex<T>(
  old: readonly JsonObject[],
  next: readonly JsonObject[],
  diff: (a: JsonObject | undefined, b: JsonObject | undefined) => T | undefined,
): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(old.length, next.length); i++) {
    const d = diff(old[i], next[i]);
    if (d !== undefined) out.push(d);
  }
  return out;
}

/**
 * Indexes of a list's items by a key, lowest first, skipping the ones already paired: pairing
 * two lists through these costs linear time where a scan for each item would be quadratic.
 */
export class Queues {
  private readonly lists = new Map<string, number[]>();
  private readonly heads = new Map<string, number>();
  constructor(
    keys: readonly string[],
    private readonly taken: readonly boolean[],
  ) {
    keys.forEach((key, i) => {
      const list = this.lists.get(key);
      if (list) list.push(i);
      else this.lists.set(key, [i]);
    });
  }
  /** The lowest unpaired index with this key, or -1; never rescans a paired one. */
  first(key: string): number {
    const list = this.lists.get(key);
    if (!list) return -1;
    let head = this.heads.get(key) ?? 0;
    while (head < list.length && this.taken[list[head]!]) head++;
    this.heads.set(key, head);
    return head < list.length ? list[head]! : -1;
  }
}
