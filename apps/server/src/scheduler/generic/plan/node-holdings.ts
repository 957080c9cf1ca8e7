// What each node's allocations hold, kept across evaluations: summing every node's allocations
// for every evaluation was most of the scheduler's time at 1,000 nodes and 20,000 allocations.
// The totals of a node are computed the first time it is asked for and forgotten when a write
// changes one of its allocations, so they always match the state the scheduler reads.
import type { Allocation } from '@berth/contract';

import { holdsResources, sumUsage } from '../../capacity.js';
import type { SchedulerState } from '../../types.js';

/** The allocations of one node that hold room (../../capacity.ts), and what they hold. */
export interface NodeHoldings {
  cpu: number;
  memoryMB: number;
  diskMB: number;
  allocs: readonly Allocation[];
  /** Those of one job. */
  ofJob(namespace: string, jobID: string): readonly Allocation[];
}

const NONE: readonly Allocation[] = [];

/** Sums the allocations that hold room. */
export function sumHoldings(allocs: readonly Allocation[]): NodeHoldings {
  const holding = allocs.filter(holdsResources);
  const { cpu, memoryMB, diskMB } = sumUsage(holding);
  let byJob: Map<string, Allocation[]> | undefined;
  return {
    cpu,
    memoryMB,
    diskMB,
    allocs: holding,
    ofJob(namespace, jobID) {
      if (byJob === undefined) {
        byJob = new Map();
        for (const a of holding) {
          const key = `${a.Namespace}\u0000${a.JobID}`;
          const list = byJob.get(key);
          if (list === undefined) byJob.set(key, [a]);
          else list.push(a);
        }
      }
      return byJob.get(`${namespace}\u0000${jobID}`) ?? NONE;
    },
  };
}

class HoldingsIndex {
  private readonly byNode = new Map<string, NodeHoldings>();

  constructor(private readonly state: SchedulerState) {
    // Called synchronously as each write becomes visible, before anyone reads the new state.
    state.onCommit((commit) => {
      for (const { before, after } of commit.changes('allocs')) {
        if (before !== undefined) this.byNode.delete(before.NodeID);
        if (after !== undefined) this.byNode.delete(after.NodeID);
      }
    });
  }

  of(nodeID: string): NodeHoldings {
    let holdings = this.byNode.get(nodeID);
    if (holdings === undefined) {
      holdings = sumHoldings(this.state.allocsByNode(nodeID));
      this.byNode.set(nodeID, holdings);
    }
    return holdings;
  }
}

/** One index per state store, following its commits for as long as the store lives. */
const indexes = new WeakMap<SchedulerState, HoldingsIndex>();

/** What the allocations on `nodeID` hold now. */
export function nodeHoldings(state: SchedulerState, nodeID: string): NodeHoldings {
  let index = indexes.get(state);
  if (index === undefined) {
    index = new HoldingsIndex(state);
    indexes.set(state, index);
  }
  return index.of(nodeID);
}
