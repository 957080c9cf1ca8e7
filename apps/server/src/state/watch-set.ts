// Watch sets, as go-memdb's WatchSet: the keys a read depended on, and the store index it read at.

/**
 * Collects the watch keys of one or more reads. Pass it to the store's reads, then to
 * `store.waitForChange`. Use a fresh set for each attempt of a blocking query.
 */
export class WatchSet {
  private readonly watched = new Set<string>();
  private readAt: number | undefined;

  /** Records that a read at store index `index` depended on `key`. Called by the store's reads. */
  add(key: string, index: number): void {
    this.watched.add(key);
    // The earliest read counts: a change after it may not have been seen by every read.
    if (this.readAt === undefined || index < this.readAt) this.readAt = index;
  }

  /** The keys watched so far. */
  get keys(): ReadonlySet<string> {
    return this.watched;
  }

  /** The store index of the earliest read recorded in this set (undefined while empty). */
  get index(): number | undefined {
    return this.readAt;
  }
}
