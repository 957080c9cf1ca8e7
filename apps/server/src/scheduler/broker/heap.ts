// A binary min-heap ordered by a comparison function: the "container/heap" behind Nomad's ready
// and pending evaluation queues.

export class Heap<T> {
  private readonly items: T[] = [];

  /** `less(a, b)` is true when `a` must come out before `b`. */
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    this.items.push(item);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop() as T;
    if (items.length > 0) {
      items[0] = last;
      this.down(0);
    }
    return top;
  }

  /** Removes the first item `match` accepts; returns it (linear scan: queues stay small). */
  remove(match: (item: T) => boolean): T | undefined {
    const items = this.items;
    const i = items.findIndex(match);
    if (i < 0) return undefined;
    const found = items[i] as T;
    const last = items.pop() as T;
    if (i < items.length) {
      items[i] = last;
      this.down(i);
      this.up(i);
    }
    return found;
  }

  /** Empties the heap, returning its items in no particular order. */
  drain(): T[] {
    return this.items.splice(0);
  }

  private up(i: number): void {
    const items = this.items;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i] as T, items[parent] as T)) break;
      [items[i], items[parent]] = [items[parent] as T, items[i] as T];
      i = parent;
    }
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < n && this.less(items[l] as T, items[best] as T)) best = l;
      if (r < n && this.less(items[r] as T, items[best] as T)) best = r;
      if (best === i) return;
      [items[i], items[best]] = [items[best] as T, items[i] as T];
      i = best;
    }
  }
}
