// The store's watch registry: who waits on which key, and which keys recent writes changed, so a
// write that lands between a read and its wait is never missed. Mirrors go-memdb's watch channels
// without a channel per radix node: one set of waiters per key, woken by the writes that touch it.

import type { WatchSet } from './watch-set.js';

interface Waiter {
  readonly keys: readonly string[];
  /** Only writes at a higher index wake it. */
  readonly after: number;
  readonly finish: (changed: boolean) => void;
}

interface LoggedWrite {
  readonly index: number;
  readonly keys: ReadonlySet<string>;
}

/** How many recent writes are remembered for the "changed before the wait began" check. */
const LOG_SIZE = 1024;

export class Watchers {
  private readonly byKey = new Map<string, Set<Waiter>>();
  // Ring buffer of the last LOG_SIZE writes; indexes are consecutive, so it covers
  // [firstLogged, latest].
  private readonly log: (LoggedWrite | undefined)[] = new Array<LoggedWrite | undefined>(LOG_SIZE);
  private logged = 0;
  private latest: number;
  private closed = false;

  constructor(latestIndex: number) {
    this.latest = latestIndex;
  }

  /** Number of waiters currently registered (for tests and metrics). */
  get waiting(): number {
    const all = new Set<Waiter>();
    for (const set of this.byKey.values()) for (const w of set) all.add(w);
    return all.size;
  }

  /** Records that the write at `index` changed `keys`, and wakes the waiters of those keys. */
  notify(index: number, keys: ReadonlySet<string>): void {
    this.latest = index;
    this.log[index % LOG_SIZE] = { index, keys };
    this.logged = Math.min(this.logged + 1, LOG_SIZE);
    for (const key of keys) {
      const set = this.byKey.get(key);
      if (set === undefined) continue;
      for (const waiter of [...set]) if (index > waiter.after) waiter.finish(true);
    }
  }

  /** Whether a write at an index above `after` changed one of `keys`; true when unknown. */
  private changedSince(keys: ReadonlySet<string>, after: number): boolean {
    if (after >= this.latest) return false;
    const firstLogged = this.latest - this.logged + 1;
    if (after + 1 < firstLogged) return true; // older than the log: be safe, let the caller re-read
    for (let i = this.latest; i > after; i--) {
      const write = this.log[i % LOG_SIZE];
      if (write === undefined || write.index !== i) return true;
      for (const key of keys) if (write.keys.has(key)) return true;
    }
    return false;
  }

  /**
   * Resolves `true` once a key of `ws` changes at an index above both `afterIndex` and the index
   * the set's reads ran at (at once if that already happened), or `false` when `signal` aborts or
   * the store closes. The waiter is removed either way.
   */
  wait(ws: WatchSet, afterIndex: number, signal?: AbortSignal): Promise<boolean> {
    if (this.closed || signal?.aborted) return Promise.resolve(false);
    const keys = ws.keys;
    const after = Math.max(afterIndex, ws.index ?? afterIndex);
    if (keys.size > 0 && this.changedSince(keys, after)) {
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const keyList = [...keys];
      const onAbort = (): void => waiter.finish(false);
      const waiter: Waiter = {
        keys: keyList,
        after,
        finish: (changed) => {
          for (const key of keyList) {
            const set = this.byKey.get(key);
            if (set === undefined) continue;
            set.delete(waiter);
            if (set.size === 0) this.byKey.delete(key);
          }
          signal?.removeEventListener('abort', onAbort);
          resolve(changed);
        },
      };
      for (const key of keyList) {
        let set = this.byKey.get(key);
        if (set === undefined) {
          set = new Set();
          this.byKey.set(key, set);
        }
        set.add(waiter);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Releases every waiter (resolving `false`); later waits resolve at once. */
  close(): void {
    this.closed = true;
    const all = new Set<Waiter>();
    for (const set of this.byKey.values()) for (const w of set) all.add(w);
    for (const w of all) w.finish(false);
  }
}
