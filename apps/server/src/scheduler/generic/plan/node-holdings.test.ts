import { afterEach, describe, expect, it } from 'vitest';

import { openStateStore, type StateStore } from '../../../state/index.js';
import { seed } from '../../../test-support/harness.js';
import { mockAlloc, mockJob, mockNode } from '../../../test-support/mock.js';
import { nodeHoldings } from './node-holdings.js';

let store: StateStore | undefined;
afterEach(() => store?.close());

describe('node holdings', () => {
  it('follow every write to the node’s allocations', async () => {
    store = openStateStore({ inMemory: true, freeze: true });
    const node = mockNode();
    const [a, b] = [mockAlloc({ NodeID: node.ID }), mockAlloc({ NodeID: node.ID })];
    await seed(store, { nodes: [node], allocs: [a, b] });
    expect(nodeHoldings(store, node.ID)).toMatchObject({ cpu: 1000, memoryMB: 512 });

    // Told to stop (still pending on its client): it holds nothing any more.
    await store.write((tx) =>
      tx.upsertAlloc({ ...tx.alloc(a.ID)!, DesiredStatus: 'stop', ModifyIndex: tx.index }),
    );
    const after = nodeHoldings(store, node.ID);
    expect(after).toMatchObject({ cpu: 500, memoryMB: 256, diskMB: 150 });
    expect(after.allocs.map((x) => x.ID)).toEqual([b.ID]);

    const other = mockAlloc({ NodeID: node.ID, Job: mockJob({ ID: 'other' }) });
    await seed(store, { allocs: [other] });
    const now = nodeHoldings(store, node.ID);
    expect(now.cpu).toBe(1000);
    expect(now.ofJob('default', 'other').map((x) => x.ID)).toEqual([other.ID]);
    expect(now.ofJob('default', b.JobID).map((x) => x.ID)).toEqual([b.ID]);
  });
});
