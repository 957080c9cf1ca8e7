import type { Evaluation, NodeRegistration } from '@berth/contract';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aclDisabled } from '../../acl/acl.js';
import type { EndpointContext } from '../../endpoints/context.js';
import { registerNode } from '../../endpoints/nodes/register.js';
import { updateAllocsFromClient } from '../../endpoints/nodes/update-allocs.js';
import { noNodeConnections } from '../../nodes/client-rpc.js';
import { openStateStore, type StateStore } from '../../state/index.js';
import { seed } from '../../test-support/harness.js';
import { mockEval, mockJob, mockNode } from '../../test-support/mock.js';
import { createTinyScheduler } from '../../test-support/tiny-scheduler.js';
import { waitForState } from '../../test-support/wait-for-state.js';
import { startScheduling, type Scheduling } from '../index.js';
import { BlockedEvals, duplicateBlocked } from './blocked-evals.js';

let store: StateStore;
let ctx: EndpointContext;

beforeEach(() => {
  store = openStateStore({ inMemory: true, freeze: true });
  ctx = { store, acl: aclDisabled, clientRpc: noNodeConnections };
});

afterEach(() => {
  store.close();
});

/** A ready node that holds 8 of the tiny scheduler's allocations (4000 MHz / 500). */
function registration(): NodeRegistration {
  return { ...mockNode(), SecretID: randomUUID() };
}

function jobWithCount(count: number) {
  const base = mockJob();
  return mockJob({ ID: base.ID, TaskGroups: [{ ...base.TaskGroups![0]!, Count: count }] });
}

const live = (jobID: string) =>
  store
    .allocsByJob('default', jobID)
    .filter((a) => a.DesiredStatus === 'run' && a.ClientStatus !== 'complete');

describe('blocked evaluations with the scheduling loop', () => {
  let scheduling: Scheduling;

  beforeEach(() => {
    scheduling = startScheduling(store, {
      schedulers: { service: createTinyScheduler },
      broker: { initialNackDelayMs: 0, subsequentNackDelayMs: 0 },
    });
  });

  afterEach(async () => {
    await scheduling.stop();
  });

  it('retries what did not fit when a node registers, and keeps one blocked evaluation per job', async () => {
    await registerNode(ctx, registration());
    const job = jobWithCount(10);
    const ev = mockEval({ JobID: job.ID });
    await seed(store, { jobs: [job], evals: [ev] });
    await waitForState(store, () => store.evalByID(ev.ID)?.Status === 'complete');

    const first = store.evalByID(ev.ID)!;
    expect(live(job.ID)).toHaveLength(8);
    expect(Object.keys(first.FailedTGAllocs ?? {})).toEqual(['web']);
    const blocked = store.evalByID(first.BlockedEval)!;
    expect(blocked).toMatchObject({ Status: 'blocked', PreviousEval: ev.ID });
    expect(scheduling.blocked.parked().map((e) => e.ID)).toEqual([blocked.ID]);

    await registerNode(ctx, registration());
    await waitForState(store, () => store.evalByID(blocked.ID)?.Status === 'complete');
    expect(live(job.ID)).toHaveLength(10);
    // The unblocked evaluation was completed, not replaced by another blocked one.
    const statuses = store
      .evalsByJob('default', job.ID)
      .map((e) => e.Status)
      .sort();
    expect(statuses).toEqual(['complete', 'complete']);
  });

  it('retries when capacity frees, and puts the evaluation back when it still cannot place all', async () => {
    await registerNode(ctx, registration());
    const big = jobWithCount(8);
    const small = jobWithCount(2);
    const bigEval = mockEval({ JobID: big.ID });
    await seed(store, { jobs: [big], evals: [bigEval] });
    await waitForState(store, () => store.evalByID(bigEval.ID)?.Status === 'complete');
    const smallEval = mockEval({ JobID: small.ID });
    await seed(store, { jobs: [small], evals: [smallEval] });
    await waitForState(store, () => store.evalByID(smallEval.ID)?.Status === 'complete');
    const blockedID = store.evalByID(smallEval.ID)!.BlockedEval;
    expect(live(small.ID)).toHaveLength(0);

    // One of the big job's allocations finishes: room for one more.
    const done = live(big.ID)[0]!;
    await updateAllocsFromClient(ctx, [
      { ID: done.ID, NodeID: done.NodeID, ClientStatus: 'complete' },
    ]);
    await waitForState(store, () => live(small.ID).length === 1);
    await waitForState(store, () => store.evalByID(blockedID)?.Status === 'blocked');
    await scheduling.blocked.settled();
    expect(scheduling.blocked.parked().map((e) => e.ID)).toEqual([blockedID]);
  });
});

describe('blocked evaluations tracker', () => {
  let tracker: BlockedEvals;

  beforeEach(() => {
    tracker = new BlockedEvals(store);
    tracker.start();
  });

  afterEach(async () => {
    await tracker.stop();
  });

  const blockedEval = (overrides: Partial<Evaluation> = {}) =>
    mockEval({ JobID: 'web', Status: 'blocked', TriggeredBy: 'queued-allocs', ...overrides });

  it('keeps the newer of two blocked evaluations of a job and cancels the older', async () => {
    const older = blockedEval();
    await seed(store, { evals: [older] });
    const newer = blockedEval();
    await seed(store, { evals: [newer] });
    await tracker.settled();
    expect(tracker.parked().map((e) => e.ID)).toEqual([newer.ID]);
    expect(store.evalByID(older.ID)).toMatchObject({
      Status: 'canceled',
      StatusDescription: duplicateBlocked('web'),
    });
    expect(duplicateBlocked('web')).toBe('existing blocked evaluation exists for job "web"');
  });

  it('cancels a job’s blocked evaluation once a later one completes having placed everything', async () => {
    const blocked = blockedEval();
    await seed(store, { evals: [blocked] });
    await seed(store, { evals: [mockEval({ JobID: 'web', Status: 'complete' })] });
    await tracker.settled();
    expect(tracker.parked()).toEqual([]);
    expect(store.evalByID(blocked.ID)?.Status).toBe('canceled');
  });

  it('leaves it blocked when the later evaluation also failed to place', async () => {
    const blocked = blockedEval();
    await seed(store, { evals: [blocked] });
    await seed(store, {
      evals: [mockEval({ JobID: 'web', Status: 'complete', FailedTGAllocs: { web: {} as never } })],
    });
    await tracker.settled();
    expect(tracker.parked().map((e) => e.ID)).toEqual([blocked.ID]);
  });

  it('unblocks at once an evaluation decided before capacity last freed', async () => {
    const before = store.latestIndex();
    await seed(store, { nodes: [mockNode()] }); // a ready node: room appears
    const late = blockedEval({ SnapshotIndex: before });
    await seed(store, { evals: [late] });
    await tracker.settled();
    expect(tracker.parked()).toEqual([]);
    expect(store.evalByID(late.ID)?.Status).toBe('pending');
  });

  it('parks the blocked evaluations stored before it started', async () => {
    await tracker.stop();
    const blocked = blockedEval();
    await seed(store, { evals: [blocked] });
    tracker = new BlockedEvals(store);
    tracker.start();
    expect(tracker.parked().map((e) => e.ID)).toEqual([blocked.ID]);
    await seed(store, { nodes: [mockNode()] });
    await tracker.settled();
    expect(store.evalByID(blocked.ID)?.Status).toBe('pending');
  });

  it('does not unblock for a node that is not ready, nor for a node written unchanged', async () => {
    const node = mockNode();
    await seed(store, { nodes: [node] });
    const blocked = blockedEval();
    await seed(store, { evals: [blocked] });
    await seed(store, { nodes: [mockNode({ Status: 'initializing' })] });
    await store.write((tx) => tx.upsertNode({ ...tx.node(node.ID)!, StatusUpdatedAt: 42 }));
    await tracker.settled();
    expect(tracker.parked().map((e) => e.ID)).toEqual([blocked.ID]);
  });
});
