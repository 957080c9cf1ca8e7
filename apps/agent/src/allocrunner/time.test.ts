import { describe, expect, it } from 'vitest';
import { nowNs, rfc3339Nano } from './time.js';

describe('task state times', () => {
  it("formats unix nanoseconds as Go's RFC3339Nano", () => {
    expect(rfc3339Nano(Date.UTC(2026, 10, 27, 5, 50, 18) * 1e6)).toBe('2026-11-27T05:50:18Z');
    expect(rfc3339Nano(Date.UTC(2026, 10, 27, 5, 50, 18, 120) * 1e6 + 3000)).toBe(
      '2026-11-27T05:50:18.120003Z',
    );
    expect(rfc3339Nano(nowNs())).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/);
  });
});
