import { describe, expect, it } from 'vitest';

import { TimeSlice } from './time-slice.js';

describe('time slice', () => {
  it('lets waiting callbacks run once the slice is used up', async () => {
    let ran = false;
    setImmediate(() => (ran = true));
    await new TimeSlice(0).maybeYield();
    expect(ran).toBe(true);
  });

  it('keeps going while the slice lasts', async () => {
    let ran = false;
    const waiting = setImmediate(() => (ran = true));
    await new TimeSlice(60 * 60_000).maybeYield();
    expect(ran).toBe(false);
    clearImmediate(waiting);
  });
});
