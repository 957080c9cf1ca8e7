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
    await batcher.close();
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
    await batcher.close();
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
    await batcher.close();
  });

  it('on close, aborts a send under way, gives up what is pending and ends at once', async () => {
    const aborted: unknown[] = [];
    const errors: unknown[] = [];
    const batcher = new UpdateBatcher({
      // A server that never answers: only the abort ends the send.
      send: (_u, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted.push(signal.reason);
            reject(new Error('aborted'));
          });
        }),
      intervalMs: 1,
      onError: (e) => errors.push(e),
    });
    batcher.push(update('a', 'running'));
    const flushed = batcher.flushed();
    // The send is under way once the interval has passed.
    await new Promise((r) => setTimeout(r, 50));
    batcher.push(update('b', 'running'));
    await batcher.close();
    await flushed;
    expect(aborted).toHaveLength(1);
    // Its own abort is no failure to report; nothing is retried or sent after the close.
    expect(errors).toEqual([]);
    await batcher.flushed();
  });
});
