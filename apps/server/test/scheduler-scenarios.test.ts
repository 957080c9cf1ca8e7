// What a user of the scheduler sees, through the HTTP API with the real scheduling loop: scaling,
// constraints, capacity and blocked evaluations, stop and replacement, failure and rescheduling,
// and a node going down. Nodes register and report through the functions their agents call.
import type { AllocListStub, Evaluation } from '@berth/contract';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { aclDisabled } from '../src/acl/acl.js';
import type { EndpointContext } from '../src/endpoints/context.js';
import { registerNode } from '../src/endpoints/nodes/register.js';
import { updateAllocsFromClient } from '../src/endpoints/nodes/update-allocs.js';
import { updateNodeStatus } from '../src/endpoints/nodes/update-status.js';
import { noNodeConnections } from '../src/nodes/client-rpc.js';
import { startTestServer, type TestServer } from '../src/test-support/harness.js';
import { mockNode } from '../src/test-support/mock.js';
import { waitForState } from '../src/test-support/wait-for-state.js';

const SECOND = 1_000_000_000;
let server: TestServer;
let ctx: EndpointContext;

beforeEach(async () => {
  server = await startTestServer({ scheduling: true });
  ctx = { store: server.store, acl: aclDisabled, clientRpc: noNodeConnections };
});
afterEach(() => server.close());

/** A node with 4,000 MHz and 8 GiB, registered as its agent would. */
async function addNode(overrides: Parameters<typeof mockNode>[0] = {}) {
  const node = mockNode(overrides);
  await registerNode(ctx, node as never);
  return node;
}

const job = (count: number, extra: Record<string, unknown> = {}) => ({
  ID: 'web',
  Datacenters: ['dc1'],
  TaskGroups: [
    {
      Name: 'web',
      Count: count,
      Tasks: [{ Name: 'web', Driver: 'raw_exec', Resources: { CPU: 1000, MemoryMB: 256 } }],
      ...extra,
    },
  ],
});

const evalSettled = (id: string) => () => {
  const status = server.store.evalByID(id)?.Status;
  return status === 'complete' || status === 'failed';
};

async function register(spec: object): Promise<Evaluation> {
  const { data } = await server.client.jobs.register(spec);
  await waitForState(server.store, evalSettled(data.EvalID));
  return server.store.evalByID(data.EvalID)!;
}

const running = (allocs: AllocListStub[]) => allocs.filter((a) => a.DesiredStatus === 'run');
const liveAllocs = async () => running((await server.client.jobs.allocations('web')).data);

describe('scaling', () => {
  test('scale up places the missing instances, scale down stops the highest', async () => {
    await addNode();
    await addNode();
    await register(job(3));
    expect((await liveAllocs()).map((a) => a.Name).sort()).toEqual([
      'web.web[0]',
      'web.web[1]',
      'web.web[2]',
    ]);

    await register(job(5));
    const five = await liveAllocs();
    expect(five.map((a) => a.Name).sort()).toEqual([
      'web.web[0]',
      'web.web[1]',
      'web.web[2]',
      'web.web[3]',
      'web.web[4]',
    ]);

    await register(job(2));
    const all = (await server.client.jobs.allocations('web')).data;
    expect(
      running(all)
        .map((a) => a.Name)
        .sort(),
    ).toEqual(['web.web[0]', 'web.web[1]']);
    const stopped = all.filter((a) => a.DesiredStatus === 'stop');
    expect(stopped.map((a) => a.Name).sort()).toEqual(['web.web[2]', 'web.web[3]', 'web.web[4]']);
    expect(
      stopped.every((a) => a.DesiredDescription === 'alloc not needed due to job update'),
    ).toBe(true);
  });

  test('allocations carry placement metrics', async () => {
    await addNode();
    await addNode();
    await register(job(1));
    const [stub] = await liveAllocs();
    const { data: alloc } = await server.client.allocations.info(stub!.ID);
    expect(alloc.Metrics).toMatchObject({
      NodesEvaluated: 2,
      NodesFiltered: 0,
      NodesAvailable: { dc1: 2 },
    });
    expect(alloc.Metrics!.ScoreMetaData!.length).toBeGreaterThan(0);
    expect(alloc.Metrics!.AllocationTime).toBeGreaterThan(0);
    expect(alloc.NodeName).toBe('foobar');
  });
});

describe('feasibility and capacity', () => {
  test('a constraint no node meets fails the placement and blocks until a node does', async () => {
    await addNode();
    await addNode();
    const evaluation = await register(
      job(1, {
        Constraints: [{ LTarget: '${attr.kernel.name}', RTarget: 'windows', Operand: '=' }],
      }),
    );
    expect(evaluation.Status).toBe('complete');
    const failed = evaluation.FailedTGAllocs!.web!;
    expect(failed.NodesEvaluated).toBe(2);
    expect(failed.NodesFiltered).toBe(2);
    expect(Object.keys(failed.ConstraintFiltered ?? {}).join()).toContain(
      '${attr.kernel.name} = windows',
    );
    expect(evaluation.BlockedEval).not.toBe('');
    expect(await liveAllocs()).toEqual([]);

    // A windows node joining retries the blocked evaluation, which places the allocation on it.
    const windows = await addNode({
      Attributes: { 'kernel.name': 'windows', 'driver.raw_exec': '1' },
    });
    await waitForState(server.store, () => server.store.allocsByJob('default', 'web').length === 1);
    expect((await liveAllocs())[0]!.NodeID).toBe(windows.ID);
  });

  test('when capacity runs out the rest waits in a blocked evaluation, retried when room appears', async () => {
    // Two nodes of 4,000 MHz hold eight allocations of 1,000 MHz.
    await addNode();
    await addNode();
    const evaluation = await register(job(10));
    expect(await liveAllocs()).toHaveLength(8);
    const failed = evaluation.FailedTGAllocs!.web!;
    expect(failed.NodesExhausted).toBeGreaterThan(0);
    expect(failed.DimensionExhausted?.cpu).toBeGreaterThan(0);
    expect(evaluation.QueuedAllocations).toMatchObject({ web: 2 });
    const blocked = server.store.evalByID(evaluation.BlockedEval)!;
    expect(blocked.Status).toBe('blocked');

    // No node is ever over-committed.
    const perNode = new Map<string, number>();
    for (const a of await liveAllocs()) perNode.set(a.NodeID, (perNode.get(a.NodeID) ?? 0) + 1);
    expect([...perNode.values()].every((n) => n <= 4)).toBe(true);

    await addNode();
    await waitForState(server.store, evalSettled(blocked.ID));
    expect(server.store.evalByID(blocked.ID)!.Status).toBe('complete');
    expect(await liveAllocs()).toHaveLength(10);
  });
});

describe('allocations told to stop hold no room (issue 7: the soak)', () => {
  // No agent runs here, as with an agent that never starts an allocation already stopped: every
  // allocation stays `pending`, and those the scheduler stops stay `pending` with DesiredStatus
  // `stop`. One node holds four allocations of 1,000 MHz.
  test('a stopped job’s allocations do not keep a new job off the node', async () => {
    const node = await addNode();
    await register(job(4));
    const { data: stop } = await server.client.jobs.deregister('web');
    await waitForState(server.store, evalSettled(stop.EvalID));
    const stopped = server.store.allocsByJob('default', 'web');
    expect(stopped).toHaveLength(4);
    expect(stopped.every((a) => a.DesiredStatus === 'stop' && a.ClientStatus === 'pending')).toBe(
      true,
    );

    const evaluation = await register({ ...job(4), ID: 'api' });
    expect(evaluation.FailedTGAllocs).toBeNull();
    const api = running((await server.client.jobs.allocations('api')).data);
    expect(api).toHaveLength(4);
    expect(api.every((a) => a.NodeID === node.ID)).toBe(true);
  });

  test('a job updated destructively again and again keeps all its instances placed', async () => {
    await addNode();
    await register(job(4));
    for (let version = 1; version <= 4; version++) {
      const next = job(4);
      next.TaskGroups[0]!.Tasks[0]!.Resources.MemoryMB = 256 + version; // destructive
      const evaluation = await register(next);
      expect(evaluation.FailedTGAllocs).toBeNull();
      const live = await liveAllocs();
      expect(live).toHaveLength(4);
      expect(live.every((a) => a.JobVersion === version)).toBe(true);
    }
    expect(server.store.allocsByJob('default', 'web')).toHaveLength(20);
  });
});

describe('stop and replacement', () => {
  test('a stopped allocation is migrated: stopped, and replaced with the two linked', async () => {
    await addNode();
    await addNode();
    await register(job(1));
    const [old] = await liveAllocs();
    const { data: stop } = await server.client.allocations.stop(old!.ID);
    await waitForState(server.store, evalSettled(stop.EvalID));

    const { data: stopped } = await server.client.allocations.info(old!.ID);
    expect(stopped).toMatchObject({
      DesiredStatus: 'stop',
      DesiredDescription: 'alloc is being migrated',
    });
    const [replacement] = await liveAllocs();
    expect(replacement!.ID).not.toBe(old!.ID);
    expect(replacement!.Name).toBe(old!.Name);
    expect(stopped.NextAllocation).toBe(replacement!.ID);
    const { data: next } = await server.client.allocations.info(replacement!.ID);
    expect(next.PreviousAllocation).toBe(old!.ID);
    expect(next.RescheduleTracker).toBeNull();
  });
});

describe('failure and rescheduling', () => {
  test('a failed allocation is replaced after the policy delay, until attempts run out', async () => {
    await addNode();
    await addNode();
    await register(
      job(1, {
        ReschedulePolicy: {
          Attempts: 1,
          Interval: 3600 * SECOND,
          Delay: 5 * SECOND,
          DelayFunction: 'constant',
          MaxDelay: 5 * SECOND,
          Unlimited: false,
        },
      }),
    );
    const [first] = await liveAllocs();
    await updateAllocsFromClient(ctx, [
      { ID: first!.ID, NodeID: first!.NodeID, ClientStatus: 'failed' },
    ]);

    // The replacement waits for the delay: a follow-up evaluation is due 5 s from now.
    await waitForState(
      server.store,
      () => server.store.allocByID(first!.ID)!.FollowupEvalID !== '',
    );
    const followup = server.store.evalByID(server.store.allocByID(first!.ID)!.FollowupEvalID)!;
    expect(followup.TriggeredBy).toBe('alloc-failure');
    expect(Date.parse(followup.WaitUntil!)).toBeGreaterThan(Date.now() + 2_000);

    await waitForState(
      server.store,
      () => server.store.allocByID(first!.ID)!.NextAllocation !== '',
    );
    const replacement = server.store.allocByID(server.store.allocByID(first!.ID)!.NextAllocation)!;
    expect(replacement.PreviousAllocation).toBe(first!.ID);
    expect(replacement.RescheduleTracker!.Events).toEqual([
      expect.objectContaining({
        PrevAllocID: first!.ID,
        PrevNodeID: first!.NodeID,
        Delay: 5 * SECOND,
      }),
    ]);

    // One attempt per hour: a second failure is not replaced.
    const { evalIDs } = await updateAllocsFromClient(ctx, [
      { ID: replacement.ID, NodeID: replacement.NodeID, ClientStatus: 'failed' },
    ]);
    for (const id of evalIDs) await waitForState(server.store, evalSettled(id));
    expect(server.store.allocByID(replacement.ID)!.NextAllocation).toBe('');
    expect(server.store.allocsByJob('default', 'web')).toHaveLength(2);
  }, 30_000);
});

describe('node failure', () => {
  test('allocations of a node that goes down are lost and replaced elsewhere', async () => {
    const a = await addNode();
    const b = await addNode();
    await register(job(2));
    const before = await liveAllocs();
    const down = before[0]!.NodeID;
    const other = down === a.ID ? b.ID : a.ID;
    const onDown = before.filter((x) => x.NodeID === down);

    const { evalIDs } = await updateNodeStatus(ctx, down, 'down');
    expect(evalIDs.length).toBeGreaterThan(0);
    for (const id of evalIDs) await waitForState(server.store, evalSettled(id));

    const now = await liveAllocs();
    expect(now).toHaveLength(2);
    expect(now.every((x) => x.NodeID === other)).toBe(true);
    for (const gone of onDown) {
      const { data: lost } = await server.client.allocations.info(gone.ID);
      expect(lost).toMatchObject({
        ClientStatus: 'lost',
        DesiredStatus: 'stop',
        DesiredDescription: 'alloc is lost since its node is down',
      });
      expect(now.find((x) => x.ID === lost.NextAllocation)?.Name).toBe(gone.Name);
    }
    const { data: node } = await server.client.nodes.info(down);
    expect(node.Status).toBe('down');
  });
});

describe('job updates and batch jobs', () => {
  test('a destructive change replaces the allocations; a count-only change keeps them', async () => {
    await addNode();
    await addNode();
    await register(job(2));
    const first = await liveAllocs();

    // Only the count: the existing two stay, updated in place to the new version.
    await register(job(3));
    const grown = await liveAllocs();
    expect(grown).toHaveLength(3);
    for (const a of first) expect(grown.find((g) => g.ID === a.ID)?.JobVersion).toBe(1);

    // A new resource ask is destructive: every allocation is replaced.
    const bigger = job(3);
    bigger.TaskGroups[0]!.Tasks[0]!.Resources.CPU = 1500;
    await register(bigger);
    const replaced = await liveAllocs();
    expect(replaced).toHaveLength(3);
    expect(replaced.some((a) => grown.some((g) => g.ID === a.ID))).toBe(false);
    expect(replaced.every((a) => a.JobVersion === 2)).toBe(true);
    const old = (await server.client.jobs.allocations('web')).data.filter(
      (a) => a.DesiredStatus === 'stop',
    );
    expect(
      old.every((a) => a.DesiredDescription === 'alloc is being updated due to job update'),
    ).toBe(true);
  });

  test('a batch allocation that completed is not replaced', async () => {
    await addNode();
    const evaluation = await register({ ...job(1), Type: 'batch' });
    const [alloc] = await liveAllocs();
    expect(alloc!.JobType).toBe('batch');
    const { evalIDs } = await updateAllocsFromClient(ctx, [
      { ID: alloc!.ID, NodeID: alloc!.NodeID, ClientStatus: 'complete' },
    ]);
    for (const id of evalIDs) await waitForState(server.store, evalSettled(id));
    // Re-evaluating the job (as a re-register does) places nothing new.
    const again = await register({ ...job(1), Type: 'batch' });
    expect(again.ID).not.toBe(evaluation.ID);
    const all = (await server.client.jobs.allocations('web')).data;
    expect(all).toHaveLength(1);
    expect(all[0]!.ClientStatus).toBe('complete');
  });
});
