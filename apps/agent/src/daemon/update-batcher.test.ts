import { describe, expect, it } from 'vitest';
import type { ClientAllocUpdate } from './server-api.js';
import { UpdateBatcher } from './update-batcher.js';

const update = (
  ID: string,
  ClientStatus: ClientAllocUpdate['ClientStatus'],
): ClientAllocUpdate => ({
  ID,
  NodeID: 'n1',
  ClientStatus,
});

describe('UpdateBatcher', () => {
  it('sends the changes of many allocations together, the latest state of each', async () => {
    const sent: ClientAllocUpdate[][] = [];
    const batcher = new UpdateBatcher({
      send: (u) => {
        sent.push(u);
        return Promise.resolve();
      },
      intervalMs: 10,
    });
    batcher.push(update('a', 'pending'));
    batcher.push(update('b', 'pending'));
    batcher.push(update('a', 'running'));
    await batcher.flushed();
    expect(sent).toEqual([[update('a', 'running'), update('b', 'pending')]]);
    batcher.close();
  });

  it('keeps retrying while the servers are unreachable and loses no update', async () => {
    const sent: ClientAllocUpdate[][] = [];
    let failures = 3;
    const batcher = new UpdateBatcher({
      send: (u) => {
        if (failures-- > 0) return Promise.reject(new Error('connection refused'));
        sent.push(u);
        return Promise.resolve();
      },
      intervalMs: 1,
      minBackoffMs: 1,
      maxBackoffMs: 2,
    });
    batcher.push(update('a', 'running'));
    batcher.push(update('b', 'failed'));
    await batcher.flushed();
    expect(sent).toEqual([[update('a', 'running'), update('b', 'failed')]]);
    batcher.close();
  });

  it('prefers a state that arrived during a failed send over the one that failed', async () => {
    const sent: ClientAllocUpdate[][] = [];
    let first = true;
    const holder: { batcher?: UpdateBatcher } = {};
    const batcher = new UpdateBatcher({
      send: (u) => {
        if (first) {
          first = false;
          holder.batcher?.push(update('a', 'complete'));
          return Promise.reject(new Error('timeout'));
        }
        sent.push(u);
        return Promise.resolve();
      },
      intervalMs: 1,
      minBackoffMs: 1,
    });
    holder.batcher = batcher;
    batcher.push(update('a', 'running'));
    await batcher.flushed();
    expect(sent).toEqual([[update('a', 'complete')]]);
    batcher.close();
  });
});
