// A process's shared queue: made on first use and again after a close, and closed when the last
// server holding it lets go, not before.
import { describe, expect, it } from 'vitest';
import { Shared } from './shared.js';
import { testQueue } from './test-fixtures/test-queue.js';

describe('Shared', () => {
  it('makes one instance on first use, and a new one after a close', async () => {
    const shared = new Shared(testQueue);
    const first = shared.get();
    expect(shared.get()).toBe(first);
    expect(await first.run({ op: 'echo', value: 1 })).toEqual({ echoed: 1 });
    const waiting = expect(first.run({ op: 'spin', ms: 2_000 })).rejects.toThrow('closed');
    await shared.close();
    await waiting;
    const second = shared.get();
    expect(second).not.toBe(first);
    expect(await second.run({ op: 'echo', value: 2 })).toEqual({ echoed: 2 });
    await shared.close();
  });

  it('closes the instance when its last holder lets go, not before', async () => {
    const shared = new Shared(testQueue);
    const first = shared.hold();
    const second = shared.hold();
    const queue = shared.get();
    expect(await queue.run({ op: 'echo', value: 1 })).toEqual({ echoed: 1 });
    await first();
    await first(); // letting go twice counts once
    expect(shared.get()).toBe(queue);
    expect(await queue.run({ op: 'echo', value: 2 })).toEqual({ echoed: 2 });
    expect(queue.starts).toBe(1);
    const waiting = expect(queue.run({ op: 'spin', ms: 2_000 })).rejects.toThrow('closed');
    await second();
    await waiting;
    expect(shared.get()).not.toBe(queue);
    await shared.close();
  });
});
