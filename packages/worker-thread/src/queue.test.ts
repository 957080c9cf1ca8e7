// The queue on real worker threads (test-fixtures/test-worker.ts, run from source through tsx):
// answers in order, the queue bound, time limits, crashes, heap limits and a worker that ends
// itself or never starts, each costing only the job it ran.
import { describe, expect, it } from 'vitest';
import { QueueError, testQueue as queue } from './test-fixtures/test-queue.js';

/** What `promise` rejects with (fails if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<QueueError> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => {
      if (error instanceof QueueError) return error;
      throw error;
    },
  );
}

describe('WorkerThreadQueue', () => {
  it('answers jobs in order, one at a time, on one worker', async () => {
    const q = queue();
    try {
      const answers = await Promise.all([
        q.run({ op: 'spin', ms: 50 }),
        q.run({ op: 'echo', value: { a: [1, 'two'] } }),
        q.run({ op: 'echo', value: null }),
      ]);
      expect(answers).toEqual([{ spun: 50 }, { echoed: { a: [1, 'two'] } }, { echoed: null }]);
      expect(q.starts).toBe(1);
    } finally {
      await q.close();
    }
  });

  it('refuses jobs beyond its queue bound, and takes more once it drains', async () => {
    const q = queue({ maxQueued: 2 });
    try {
      // The first is handed to the worker only once it is ready: until then all three wait.
      const accepted = [q.run({ op: 'echo', value: 1 }), q.run({ op: 'echo', value: 2 })];
      const refused = await rejection(q.run({ op: 'echo', value: 3 }));
      expect([refused.hook, refused.message]).toEqual(['busy', 'busy: 2 waiting']);
      expect(await Promise.all(accepted)).toEqual([{ echoed: 1 }, { echoed: 2 }]);
      expect(await q.run({ op: 'echo', value: 4 })).toEqual({ echoed: 4 });
    } finally {
      await q.close();
    }
  });

  it('stops a job over its time limit and runs the next on a new worker', async () => {
    const q = queue();
    try {
      await q.run({ op: 'echo', value: 'warm' });
      const late = rejection(q.run({ op: 'spin', ms: 5_000 }, 100));
      const next = q.run({ op: 'echo', value: 'next' });
      const error = await late;
      expect([error.hook, error.message]).toEqual(['timedOut', 'took more than 100 ms']);
      expect(await next).toEqual({ echoed: 'next' });
      expect(q.starts).toBe(2);
    } finally {
      await q.close();
    }
  });

  it('refuses the job a worker dies on, and runs the queued ones on a new worker', async () => {
    const q = queue();
    try {
      const first = q.run({ op: 'echo', value: 1 });
      const fatal = rejection(q.run({ op: 'exit', code: 7 }));
      const after = q.run({ op: 'echo', value: 2 });
      expect(await first).toEqual({ echoed: 1 });
      const error = await fatal;
      expect([error.hook, error.message]).toEqual(['stopped', 'stopped: exit code 7']);
      expect(await after).toEqual({ echoed: 2 });
      expect(q.starts).toBe(2);
    } finally {
      await q.close();
    }
  });

  it('refuses the job whose handler throws, with the worker’s error', async () => {
    const q = queue();
    try {
      const error = await rejection(q.run({ op: 'throw', message: 'handler broke' }));
      expect(error.hook).toBe('stopped');
      expect(error.message).toContain('handler broke');
      expect(await q.run({ op: 'echo', value: 'ok' })).toEqual({ echoed: 'ok' });
      expect(q.starts).toBe(2);
    } finally {
      await q.close();
    }
  });

  it('holds the worker to its heap limit: the job over it is refused, the next goes on', async () => {
    const q = queue({ resourceLimits: { maxOldGenerationSizeMb: 16 } });
    try {
      const error = await rejection(q.run({ op: 'hog' }, 60_000));
      expect(error.hook).toBe('stopped');
      expect(error.message).toMatch(/memory limit/);
      expect(await q.run({ op: 'echo', value: 'ok' })).toEqual({ echoed: 'ok' });
      expect(q.starts).toBe(2);
    } finally {
      await q.close();
    }
  }, 60_000);

  it('replaces a worker that says it ends after its answer', async () => {
    const q = queue();
    try {
      const answers = await Promise.all([
        q.run({ op: 'end' }),
        q.run({ op: 'echo', value: 'after' }),
      ]);
      expect(answers).toEqual([{ ended: true }, { echoed: 'after' }]);
      expect(q.starts).toBe(2);
    } finally {
      await q.close();
    }
  });

  it('fails the jobs waiting for a worker that cannot start, and tries again for the next', async () => {
    const q = queue({ workerUrl: new URL('./test-fixtures/no-such-worker.ts', import.meta.url) });
    try {
      const waiting = [q.run({ op: 'echo', value: 1 }), q.run({ op: 'echo', value: 2 })].map(
        rejection,
      );
      for (const error of await Promise.all(waiting)) {
        expect(error.hook).toBe('didNotStart');
        expect(error.message).toMatch(/^did not start: .*no-such-worker\.ts/);
      }
      await rejection(q.run({ op: 'echo', value: 3 }));
      expect(q.starts).toBe(2);
    } finally {
      await q.close();
    }
  });

  it('stops a worker not ready within its start time limit', async () => {
    const q = queue({
      workerUrl: new URL('./test-fixtures/never-ready-worker.ts', import.meta.url),
      startTimeoutMs: 3_000,
    });
    try {
      const error = await rejection(q.run({ op: 'echo', value: 1 }));
      expect([error.hook, error.message]).toEqual([
        'didNotStart',
        'did not start: not ready within 3000 ms',
      ]);
    } finally {
      await q.close();
    }
  });

  it('starts a plain JavaScript worker without tsx, as a built package does', async () => {
    const q = queue({
      workerUrl: new URL('./test-fixtures/plain-worker.mjs', import.meta.url),
      source: false,
    });
    try {
      expect(await q.run({ op: 'echo', value: 'plain' })).toEqual({ echoed: 'plain' });
    } finally {
      await q.close();
    }
  });

  it('close rejects the jobs waiting; a later job starts a new worker', async () => {
    const q = queue();
    const waiting = [q.run({ op: 'spin', ms: 2_000 }), q.run({ op: 'echo', value: 1 })].map(
      rejection,
    );
    await q.close();
    for (const error of await Promise.all(waiting)) {
      expect(error.hook).toBe('closed');
    }
    expect(await q.run({ op: 'echo', value: 2 })).toEqual({ echoed: 2 });
    expect(q.starts).toBe(2);
    await q.close();
  });

  it('range-checks its bounds', () => {
    expect(() => queue({ maxQueued: 0 })).toThrow(RangeError);
    expect(() => queue({ maxQueued: 1.5 })).toThrow(RangeError);
    expect(() => queue({ timeoutMs: Number.NaN })).toThrow(RangeError);
    expect(() => queue({ startTimeoutMs: 2 ** 31 })).toThrow(RangeError);
    const q = queue();
    expect(() => q.run({ op: 'echo', value: 1 }, -1)).toThrow(
      'test queue time limit must be 1 to 2147483647 ms, not -1',
    );
    expect(q.starts).toBe(0);
  });
});
