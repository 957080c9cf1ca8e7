import { AllocationSchema, type Allocation } from '@berth/contract';
import { describe, expect, it } from 'vitest';
import { diffAllocs } from './reconcile.js';

const alloc = (over: Partial<Allocation>): Allocation =>
  AllocationSchema.parse({
    ID: 'a',
    DesiredStatus: 'run',
    ClientStatus: 'pending',
    AllocModifyIndex: 5,
    ...over,
  });

describe('diffAllocs', () => {
  it('adds new allocations that should run, but never finished or stopped ones', () => {
    const diff = diffAllocs(
      [
        alloc({ ID: 'new' }),
        alloc({ ID: 'done', ClientStatus: 'complete' }),
        alloc({ ID: 'stopped', DesiredStatus: 'stop' }),
      ],
      new Map(),
    );
    expect(diff.added.map((a) => a.ID)).toEqual(['new']);
  });

  it('updates a known allocation only when the servers changed it, and removes the unlisted', () => {
    const diff = diffAllocs(
      [alloc({ ID: 'same', AllocModifyIndex: 5 }), alloc({ ID: 'changed', AllocModifyIndex: 9 })],
      new Map([
        ['same', 5],
        ['changed', 5],
        ['gone', 3],
      ]),
    );
    expect(diff.updated.map((a) => a.ID)).toEqual(['changed']);
    expect(diff.removed).toEqual(['gone']);
    expect(diff.added).toEqual([]);
  });
});
