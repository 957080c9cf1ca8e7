import type { Allocation, Job, Node } from '@berth/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStateStore, type StateStore } from '../../state/index.js';
import { seed } from '../../test-support/harness.js';
import { mockAlloc, mockJob, mockNode } from '../../test-support/mock.js';
import type { Plan } from '../types.js';
import { MAX_ALLOCS_PER_WRITE, PlanApplier } from './plan-applier.js';

let store: StateStore;
let applier: PlanApplier;
let job: Job;
let node: Node;

beforeEach(async () => {
  store = openStateStore({ inMemory: true, freeze: true });
  applier = new PlanApplier(store);
  job = mockJob();
  node = mockNode(); // 4000 MHz, 8192 MB; each mock allocation takes 500 MHz, 256 MB
  await seed(store, { jobs: [job], nodes: [node] });
  job = store.jobByID(job.Namespace, job.ID)!;
});

afterEach(() => {
  applier.stop();
  store.close();
});

function placement(overrides: Partial<Allocation> = {}): Allocation {
  return mockAlloc({ Job: job, NodeID: node.ID, ...overrides });
}

function plan(overrides: Partial<Plan> = {}): Plan {
  return {
    evalID: 'eval',
    priority: 50,
    job,
    nodeUpdate: new Map(),
    nodeAllocation: new Map(),
    allAtOnce: false,
    ...overrides,
  };
}

const live = (nodeID: string) =>
  store.allocsByNode(nodeID).filter((a) => a.DesiredStatus === 'run');

describe('plan applier', () => {
  it('commits a plan that fits in one write, with the write’s index on every allocation', async () => {
    const allocs = [placement(), placement()];
    const result = await applier.submit(plan({ nodeAllocation: new Map([[node.ID, allocs]]) }));
    expect(result.refreshIndex).toBe(0);
    expect(result.allocIndex).toBe(store.latestIndex());
    for (const a of allocs) {
      expect(store.allocByID(a.ID)).toMatchObject({
        CreateIndex: result.allocIndex,
        ModifyIndex: result.allocIndex,
        AllocModifyIndex: result.allocIndex,
      });
    }
    expect(result.nodeAllocation.get(node.ID)).toHaveLength(2);
  });

  it('never over-commits a node two plans race for: the later one is rejected and told to refresh', async () => {
    const five = () => Array.from({ length: 5 }, () => placement()); // 2500 MHz each time
    const [first, second] = await Promise.all([
      applier.submit(plan({ evalID: 'a', nodeAllocation: new Map([[node.ID, five()]]) })),
      applier.submit(plan({ evalID: 'b', nodeAllocation: new Map([[node.ID, five()]]) })),
    ]);
    expect(first.refreshIndex).toBe(0);
    expect(first.nodeAllocation.get(node.ID)).toHaveLength(5);
    expect(second.nodeAllocation.size).toBe(0);
    expect(second.allocIndex).toBe(0);
    expect(second.refreshIndex).toBeGreaterThanOrEqual(first.allocIndex);
    expect(live(node.ID)).toHaveLength(5);
  });

  it('commits the nodes that fit and rejects the others; all-at-once rejects everything', async () => {
    const roomy = mockNode();
    const full = mockNode({
      NodeResources: {
        ...node.NodeResources!,
        Cpu: { CpuShares: 400, TotalCpuCores: 0, ReservableCpuCores: null },
      },
    });
    await seed(store, { nodes: [roomy, full] });
    const make = () =>
      new Map([
        [roomy.ID, [placement({ NodeID: roomy.ID })]],
        [full.ID, [placement({ NodeID: full.ID })]],
      ]);
    const rejected: string[] = [];
    const withReasons = new PlanApplier(store, {
      onReject: (_p, id, reason) => rejected.push(`${id}:${reason}`),
    });

    const partial = await withReasons.submit(plan({ nodeAllocation: make() }));
    expect([...partial.nodeAllocation.keys()]).toEqual([roomy.ID]);
    expect(partial.refreshIndex).toBe(partial.allocIndex);
    expect(rejected).toEqual([`${full.ID}:cpu`]);

    const whole = await withReasons.submit(plan({ nodeAllocation: make(), allAtOnce: true }));
    expect(whole.nodeAllocation.size).toBe(0);
    expect(whole.refreshIndex).toBeGreaterThan(0);
    expect(live(roomy.ID)).toHaveLength(1);
    withReasons.stop();
  });

  it('counts the plan’s own stops as freed room', async () => {
    const old = Array.from({ length: 8 }, () => placement()); // the node is full
    await seed(store, { allocs: old });
    const stops = old.slice(0, 2).map((a) => ({
      ...store.allocByID(a.ID)!,
      DesiredStatus: 'stop' as const,
      DesiredDescription: 'alloc is being migrated',
    }));
    const result = await applier.submit(
      plan({
        nodeUpdate: new Map([[node.ID, stops]]),
        nodeAllocation: new Map([[node.ID, [placement(), placement()]]]),
      }),
    );
    expect(result.refreshIndex).toBe(0);
    expect(live(node.ID)).toHaveLength(8);
    expect(store.allocByID(old[0]!.ID)).toMatchObject({
      DesiredStatus: 'stop',
      DesiredDescription: 'alloc is being migrated',
      ModifyIndex: result.allocIndex,
    });
  });

  it('counts no room for allocations told to stop whose client never started them', async () => {
    const stopped = Array.from({ length: 8 }, (_, i) =>
      placement({ DesiredStatus: i % 2 === 0 ? 'stop' : 'evict' }),
    ); // pending: an agent never starts a stopped allocation
    await seed(store, { allocs: stopped });
    const eight = Array.from({ length: 8 }, () => placement());
    const result = await applier.submit(plan({ nodeAllocation: new Map([[node.ID, eight]]) }));
    expect(result.refreshIndex).toBe(0);
    expect(live(node.ID)).toHaveLength(8);
  });

  it('rejects placements that would exceed the node’s disk', async () => {
    const reasons: string[] = [];
    const checking = new PlanApplier(store, {
      onReject: (_p, _id, reason) => reasons.push(reason),
    });
    const big = placement({
      AllocatedResources: {
        ...placement().AllocatedResources!,
        Shared: { DiskMB: 101 * 1024, Networks: null, Ports: null },
      },
    });
    const result = await checking.submit(plan({ nodeAllocation: new Map([[node.ID, [big]]]) }));
    expect(result.nodeAllocation.size).toBe(0);
    expect(reasons).toEqual(['disk']);
    checking.stop();
  });

  it('links a replacement to the allocation it replaces in the same write', async () => {
    const old = placement();
    await seed(store, { allocs: [old] });
    const stop = { ...store.allocByID(old.ID)!, DesiredStatus: 'stop' as const };
    const next = placement({ PreviousAllocation: old.ID });
    const result = await applier.submit(
      plan({
        nodeUpdate: new Map([[node.ID, [stop]]]),
        nodeAllocation: new Map([[node.ID, [next]]]),
      }),
    );
    expect(store.allocByID(old.ID)).toMatchObject({
      DesiredStatus: 'stop',
      NextAllocation: next.ID,
      ModifyIndex: result.allocIndex,
    });
    expect(store.allocByID(next.ID)?.PreviousAllocation).toBe(old.ID);
  });

  it('keeps what the client reported when stopping, unless the scheduler marks the allocation lost', async () => {
    const a = placement();
    const b = placement();
    await seed(store, { allocs: [a, b] });
    await store.write((tx) => {
      tx.upsertAlloc({ ...tx.alloc(a.ID)!, ClientStatus: 'running', ModifyIndex: tx.index });
      tx.upsertAlloc({ ...tx.alloc(b.ID)!, ClientStatus: 'running', ModifyIndex: tx.index });
    });
    // The scheduler's copies are older: they still say `pending`.
    await applier.submit(
      plan({
        nodeUpdate: new Map([
          [
            node.ID,
            [
              { ...a, DesiredStatus: 'stop' },
              {
                ...b,
                DesiredStatus: 'stop',
                ClientStatus: 'lost',
                ClientDescription: 'alloc is lost since its node is down',
              },
            ],
          ],
        ]),
      }),
    );
    expect(store.allocByID(a.ID)?.ClientStatus).toBe('running');
    expect(store.allocByID(b.ID)).toMatchObject({ ClientStatus: 'lost', DesiredStatus: 'stop' });
  });

  it('rejects placements on a node that is down, not ready or ineligible, or unknown', async () => {
    const down = mockNode({ Status: 'down' });
    const init = mockNode({ Status: 'initializing' });
    const ineligible = mockNode({ SchedulingEligibility: 'ineligible' });
    await seed(store, { nodes: [down, init, ineligible] });
    const reasons: string[] = [];
    const checking = new PlanApplier(store, {
      onReject: (_p, _id, reason) => reasons.push(reason),
    });
    for (const n of [down.ID, init.ID, ineligible.ID, 'no-such-node']) {
      const result = await checking.submit(
        plan({ nodeAllocation: new Map([[n, [placement({ NodeID: n })]]]) }),
      );
      expect(result.nodeAllocation.size).toBe(0);
    }
    expect(reasons).toEqual([
      'node is down and contains invalid updates',
      'node is not ready for placements',
      'node is not eligible',
      'node does not exist',
    ]);
    checking.stop();
  });

  it('drops new placements of a job stopped meanwhile', async () => {
    await store.write((tx) => tx.upsertJob({ ...job, Stop: true, ModifyIndex: tx.index }));
    const result = await applier.submit(
      plan({ nodeAllocation: new Map([[node.ID, [placement()]]]) }),
    );
    expect(result.nodeAllocation.size).toBe(0);
    expect(store.allocsByNode(node.ID)).toHaveLength(0);
  });

  it('applies waiting plans one at a time, higher priority first', async () => {
    const submit = (evalID: string, priority: number) =>
      applier.submit(
        plan({ evalID, priority, nodeAllocation: new Map([[node.ID, [placement()]]]) }),
      );
    // The first is applied at once; the two submitted while it is applied wait in the queue.
    const [first, low, high] = await Promise.all([
      submit('first', 10),
      submit('low', 20),
      submit('high', 90),
    ]);
    expect(first.allocIndex).toBeLessThan(high.allocIndex);
    expect(high.allocIndex).toBeLessThan(low.allocIndex);
  });

  describe('a plan larger than one write', () => {
    // Small allocations (10 MHz, 10 MB): a mock node holds 400 of them.
    const small = (nodeID: string) =>
      placement({
        NodeID: nodeID,
        AllocatedResources: {
          Tasks: { web: { Cpu: { CpuShares: 10 }, Memory: { MemoryMB: 10 } } as never },
          TaskLifecycles: null,
          Shared: { DiskMB: 0, Networks: null, Ports: null },
        },
      });
    const half = Math.ceil(MAX_ALLOCS_PER_WRITE * 0.8);

    it('is committed node by node in several writes, all of it', async () => {
      const other = mockNode();
      await seed(store, { nodes: [other] });
      const result = await applier.submit(
        plan({
          nodeAllocation: new Map([
            [node.ID, Array.from({ length: half }, () => small(node.ID))],
            [other.ID, Array.from({ length: half }, () => small(other.ID))],
          ]),
        }),
      );
      expect(result.refreshIndex).toBe(0);
      expect(live(node.ID)).toHaveLength(half);
      expect(live(other.ID)).toHaveLength(half);
      const indexes = new Set([...live(node.ID), ...live(other.ID)].map((a) => a.CreateIndex));
      expect(indexes.size).toBe(2);
      expect(result.allocIndex).toBe(Math.max(...indexes));
      expect(result.nodeAllocation.get(other.ID)).toHaveLength(half);
    });

    it('re-checks each write against the state it commits on', async () => {
      const other = mockNode();
      await seed(store, { nodes: [other] });
      // As soon as the first node's part is committed, someone else fills the second node.
      const filler = placement({ NodeID: other.ID });
      const fill = {
        ...filler,
        AllocatedResources: {
          ...filler.AllocatedResources!,
          Tasks: { web: { Cpu: { CpuShares: 4000 }, Memory: { MemoryMB: 10 } } as never },
        },
      };
      let filled: Promise<number> | undefined;
      const off = store.onCommit((commit) => {
        if (filled !== undefined) return;
        if (!commit.changes('allocs').some((c) => c.after?.NodeID === node.ID)) return;
        filled = seed(store, { allocs: [fill] });
      });
      const rejected: string[] = [];
      const checking = new PlanApplier(store, {
        onReject: (_p, id, reason) => rejected.push(`${id}:${reason}`),
      });
      const result = await checking.submit(
        plan({
          nodeAllocation: new Map([
            [node.ID, Array.from({ length: half }, () => small(node.ID))],
            [other.ID, Array.from({ length: half }, () => small(other.ID))],
          ]),
        }),
      );
      off();
      await filled;
      checking.stop();
      expect(rejected).toEqual([`${other.ID}:cpu`]);
      expect([...result.nodeAllocation.keys()]).toEqual([node.ID]);
      expect(result.refreshIndex).toBeGreaterThan(result.allocIndex);
      expect(live(node.ID)).toHaveLength(half);
      expect(live(other.ID).map((a) => a.ID)).toEqual([fill.ID]);
    });
  });
});
