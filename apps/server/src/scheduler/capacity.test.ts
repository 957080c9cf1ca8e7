import type { Allocation } from '@berth/contract';
import { describe, expect, it } from 'vitest';

import { mockAlloc, mockNode } from '../test-support/mock.js';
import { allocUsage, exhausted, holdsResources, nodeCapacity } from './capacity.js';
import { allocsFit } from './planner/fit.js';

// mockNode: 4000 MHz, 8192 MB, 100 GiB of disk; mockAlloc: 500 MHz, 256 MB, 150 MB of disk.
const node = mockNode();
const alloc = (overrides: Partial<Allocation> = {}) => mockAlloc({ NodeID: node.ID, ...overrides });

describe('what holds room on a node', () => {
  it('is an allocation the servers want running and the client has not finished', () => {
    for (const ClientStatus of ['pending', 'running'] as const) {
      expect(holdsResources(alloc({ ClientStatus }))).toBe(true);
    }
    for (const ClientStatus of ['complete', 'failed', 'lost'] as const) {
      expect(holdsResources(alloc({ ClientStatus }))).toBe(false);
    }
  });

  it('is not an allocation told to stop or evicted, even while its client still says pending or running', () => {
    for (const DesiredStatus of ['stop', 'evict'] as const) {
      for (const ClientStatus of ['pending', 'running'] as const) {
        expect(holdsResources(alloc({ DesiredStatus, ClientStatus }))).toBe(false);
      }
    }
  });

  it('counts a node full of stopped but never started allocations as empty', () => {
    const stopped = Array.from({ length: 8 }, () => alloc({ DesiredStatus: 'stop' }));
    const running = Array.from({ length: 8 }, () => alloc());
    expect(allocsFit(node, [...stopped, ...running])).toEqual({ fit: true });
    expect(allocsFit(node, [...running, alloc()])).toEqual({ fit: false, dimension: 'cpu' });
  });
});

describe('amounts', () => {
  it('sums an allocation’s tasks, else reads its legacy resources', () => {
    expect(allocUsage(alloc())).toEqual({ cpu: 500, memoryMB: 256, diskMB: 150 });
    const legacy = alloc({
      AllocatedResources: null,
      Resources: { CPU: 250, MemoryMB: 128, DiskMB: 10 } as Allocation['Resources'],
    });
    expect(allocUsage(legacy)).toEqual({ cpu: 250, memoryMB: 128, diskMB: 10 });
  });

  it('takes what a node reserves off what it offers', () => {
    const reserving = mockNode({
      ReservedResources: {
        Cpu: { CpuShares: 1000 },
        Memory: { MemoryMB: 192 },
        Disk: { DiskMB: 1024 },
      } as never,
    });
    expect(nodeCapacity(reserving)).toEqual({ cpu: 3000, memoryMB: 8000, diskMB: 99 * 1024 });
  });

  it('names the first exhausted dimension, and checks disk only on a node that reports some', () => {
    const capacity = { cpu: 1000, memoryMB: 1000, diskMB: 1000 };
    expect(exhausted(1000, 1000, 1000, capacity)).toBeUndefined();
    expect(exhausted(1001, 2000, 2000, capacity)).toBe('cpu');
    expect(exhausted(1000, 1001, 2000, capacity)).toBe('memory');
    expect(exhausted(1000, 1000, 1001, capacity)).toBe('disk');
    expect(exhausted(1000, 1000, 5000, { ...capacity, diskMB: 0 })).toBeUndefined();
  });
});
