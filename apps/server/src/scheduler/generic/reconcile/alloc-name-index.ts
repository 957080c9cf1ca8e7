// Nomad's AllocNameIndex (scheduler/reconciler/allocs.go): which `<job>.<group>[i]` indexes are
// taken, so new allocations fill the lowest free ones and scale-downs remove the highest.
import type { Allocation } from '@berth/contract';

import { allocIndexFromName, allocName } from '../alloc/status.js';

export class AllocNameIndex {
  private readonly used = new Set<number>();
  /** Indexes held by more than one allocation, with the number of extra holders. */
  private readonly duplicates = new Map<number, number>();

  constructor(
    private readonly jobID: string,
    private readonly group: string,
    private readonly count: number,
    allocs: Iterable<Allocation>,
  ) {
    for (const a of allocs) {
      const i = allocIndexFromName(a.Name, jobID, group);
      if (this.used.has(i)) this.duplicates.set(i, (this.duplicates.get(i) ?? 0) + 1);
      else this.used.add(i);
    }
  }

  /** Takes the `n` lowest free indexes below count (then overlapping ones from 0) and names them. */
  next(n: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.count && out.length < n; i++) {
      if (this.used.has(i)) continue;
      this.used.add(i);
      out.push(allocName(this.jobID, this.group, i));
    }
    for (let i = 0; out.length < n; i++) {
      this.used.add(i);
      out.push(allocName(this.jobID, this.group, i));
    }
    return out;
  }

  /** Releases and returns the names of the `n` highest taken indexes. */
  highest(n: number): Set<string> {
    const taken = [...this.used].sort((a, b) => b - a).slice(0, n);
    for (const i of taken) this.used.delete(i);
    return new Set(taken.map((i) => allocName(this.jobID, this.group, i)));
  }

  isDuplicate(index: number): boolean {
    return (this.duplicates.get(index) ?? 0) > 0;
  }

  /** Releases an index (or one of its duplicate holders). */
  unset(index: number): void {
    const dup = this.duplicates.get(index);
    if (dup !== undefined) {
      if (dup <= 1) this.duplicates.delete(index);
      else this.duplicates.set(index, dup - 1);
    } else {
      this.used.delete(index);
    }
  }
}
