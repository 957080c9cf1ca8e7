import type { Allocation, Job, NodeRegistration } from '@berth/contract';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aclDisabled } from '../../acl/acl.js';
import { noNodeConnections } from '../../nodes/client-rpc.js';
import { openStateStore, type StateStore } from '../../state/index.js';
import { seed } from '../../test-support/harness.js';
import { mockAlloc, mockJob, mockNode } from '../../test-support/mock.js';
import type { EndpointContext } from '../context.js';
import { EndpointError } from '../endpoint-error.js';
import { registerNode } from './register.js';
import { updateAllocsFromClient } from './update-allocs.js';
import { updateNodeStatus } from './update-status.js';

let store: StateStore;
let ctx: EndpointContext;

beforeEach(() => {
  store = openStateStore({ inMemory: true, freeze: true });
  ctx = { store, acl: aclDisabled, clientRpc: noNodeConnections };
});

afterEach(() => {
  store.close();
});

function registration(overrides: Partial<NodeRegistration> = {}): NodeRegistration {
  return { ...mockNode(), SecretID: randomUUID(), ...overrides };
}

async function rejects(promise: Promise<unknown>): Promise<EndpointError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EndpointError);
  return err as EndpointError;
}

describe('registerNode', () => {
  it('stores a new node with its secret, a registration event and both indexes', async () => {
    const node = registration({ Status: 'ready' });
    const { index } = await registerNode(ctx, node);
    const stored = store.nodeByID(node.ID)!;
    expect(stored).toMatchObject({ Status: 'ready', CreateIndex: index, ModifyIndex: index });
    expect((stored as NodeRegistration).SecretID).toBe(node.SecretID);
    expect(stored.Events?.map((e) => e.Message)).toEqual(['Node registered']);
  });

  it('starts a node without a status initializing, and keeps a known node’s status', async () => {
    const node = registration({ Status: '' as never });
    await registerNode(ctx, node);
    expect(store.nodeByID(node.ID)?.Status).toBe('initializing');
    await updateNodeStatus(ctx, node.ID, 'ready');
    await registerNode(ctx, { ...node, Status: 'initializing' });
    expect(store.nodeByID(node.ID)?.Status).toBe('ready');
  });

  it('refuses a registration with another secret, or missing what Nomad requires', async () => {
    const node = registration();
    await registerNode(ctx, node);
    const cases: [Partial<NodeRegistration>, string][] = [
      [{ SecretID: randomUUID() }, 'node secret ID does not match. Not registering node.'],
      [{ ID: '' }, 'missing node ID for client registration'],
      [{ Datacenter: '' }, 'missing datacenter for client registration'],
      [{ Name: '' }, 'missing node name for client registration'],
      [{ Attributes: {} }, 'missing attributes for client registration'],
      [{ SecretID: '' }, 'missing node secret ID for client registration'],
      [{ NodePool: 'all' }, 'node is not allowed to register in node pool "all"'],
      [{ Status: 'sleeping' as never }, 'invalid status for node'],
    ];
    for (const [change, text] of cases) {
      const err = await rejects(registerNode(ctx, { ...node, ...change }));
      expect([err.status, err.message]).toEqual([400, text]);
    }
  });
});

describe('registerNode: node IDs and secrets are UUIDs, as Nomad’s state store indexes them', () => {
  it('refuses an ID go-memdb cannot index with Nomad’s text, and stores nothing', async () => {
    const before = store.latestIndex();
    const cases: [string, string][] = [
      ['my-node', 'node lookup failed: index error: UUID must be 36 characters'],
      [
        '5f0b2a4e-1c7d-4b8e-9a6f-3d2c1b0a9e8z',
        "node lookup failed: index error: Invalid UUID: encoding/hex: invalid byte: U+007A 'z'",
      ],
      [
        '5f0b2a4e-1c7d-4b8e-9a6f-3d2c1b0a9e-f',
        'node lookup failed: index error: UUID should have maximum of 4 "-"; got 5',
      ],
      // Taken by go-memdb (18 bytes of hex), but no UUID path could ever name it.
      [
        '5f0b2a4e1c7d4b8e9a6f3d2c1b0a9e8f0000',
        'node ID must be a UUID: 32 hex digits and 4 hyphens',
      ],
    ];
    for (const [ID, text] of cases) {
      const err = await rejects(registerNode(ctx, registration({ ID })));
      expect([err.status, err.message]).toEqual([400, text]);
    }
    expect(store.latestIndex()).toBe(before);
    expect(store.nodes()).toEqual([]);
  });

  it('stores an upper-case ID in lower case: one node, reachable by either spelling', async () => {
    const id = randomUUID();
    const node = registration({ ID: id.toUpperCase() });
    await registerNode(ctx, node);
    await registerNode(ctx, { ...node, ID: id });
    expect(store.nodes().map((n) => n.ID)).toEqual([id]);
  });

  it('refuses a SecretID that is not a UUID with the text of Nomad’s secret index', async () => {
    const err = await rejects(registerNode(ctx, registration({ SecretID: 'hunter2' })));
    expect([err.status, err.message]).toEqual([
      400,
      "node insert failed: failed to build index 'secret_id': UUID must be 36 characters",
    ]);
    expect(store.nodes()).toEqual([]);
    // A known node's own secret is checked first, as Nomad compares it before writing.
    const node = registration();
    await registerNode(ctx, node);
    const other = await rejects(registerNode(ctx, { ...node, SecretID: 'hunter2' }));
    expect(other.message).toBe('node secret ID does not match. Not registering node.');
  });
});

describe('updateNodeStatus', () => {
  let job: Job;
  let other: Job;
  let node: NodeRegistration;
  let allocs: Allocation[];

  beforeEach(async () => {
    job = mockJob();
    other = mockJob({ Type: 'batch', Priority: 70 });
    node = registration({ Status: 'ready' });
    await registerNode(ctx, node);
    allocs = [
      mockAlloc({ Job: job, NodeID: node.ID }),
      mockAlloc({ Job: job, NodeID: node.ID }),
      mockAlloc({ Job: other, NodeID: node.ID }),
      // A finished batch allocation is never retried.
      mockAlloc({ Job: mockJob({ Type: 'batch' }), NodeID: node.ID, ClientStatus: 'complete' }),
    ];
    await seed(store, { jobs: [job, other], allocs });
  });

  it('marks a node down and creates one node-update evaluation per job on it, in the same write', async () => {
    const result = await updateNodeStatus(ctx, node.ID, 'down');
    expect(store.nodeByID(node.ID)).toMatchObject({ Status: 'down', ModifyIndex: result.index });
    expect(result.evalIDs).toHaveLength(2);
    expect(result.evalCreateIndex).toBe(result.index);
    const evals = result.evalIDs.map((id) => store.evalByID(id)!);
    expect(evals.map((e) => e.JobID).sort()).toEqual([job.ID, other.ID].sort());
    for (const e of evals) {
      expect(e).toMatchObject({
        Status: 'pending',
        TriggeredBy: 'node-update',
        NodeID: node.ID,
        NodeModifyIndex: result.index,
        CreateIndex: result.index,
      });
    }
    expect(evals.find((e) => e.JobID === other.ID)).toMatchObject({ Type: 'batch', Priority: 70 });
  });

  it('creates them again when the node comes back ready, and none for a ready node staying ready', async () => {
    await updateNodeStatus(ctx, node.ID, 'down');
    const back = await updateNodeStatus(ctx, node.ID, 'ready');
    expect(back.evalIDs).toHaveLength(2);
    const again = await updateNodeStatus(ctx, node.ID, 'ready');
    expect(again.evalIDs).toEqual([]);
    expect(again.index).toBe(store.nodeByID(node.ID)?.ModifyIndex);
  });

  it('answers 400 for a bad status and 404 for an unknown node', async () => {
    expect((await rejects(updateNodeStatus(ctx, node.ID, 'asleep'))).message).toBe(
      'invalid status for node',
    );
    const unknown = await rejects(updateNodeStatus(ctx, randomUUID(), 'down'));
    expect([unknown.status, unknown.message]).toEqual([404, 'node not found']);
  });
});

describe('updateAllocsFromClient', () => {
  let job: Job;
  let node: NodeRegistration;

  beforeEach(async () => {
    job = mockJob(); // reschedule policy: 2 attempts in 10 minutes
    node = registration({ Status: 'ready' });
    await registerNode(ctx, node);
    await seed(store, { jobs: [job] });
  });

  async function placed(overrides: Partial<Allocation> = {}): Promise<Allocation> {
    const alloc = mockAlloc({
      Job: store.jobByID(job.Namespace, job.ID)!,
      NodeID: node.ID,
      ...overrides,
    });
    await seed(store, { allocs: [alloc] });
    return store.allocByID(alloc.ID)!;
  }

  it('records the client status and task states without touching what the servers decided', async () => {
    const alloc = await placed();
    const { index, evalIDs } = await updateAllocsFromClient(ctx, [
      {
        ID: alloc.ID,
        NodeID: node.ID,
        ClientStatus: 'running',
        TaskStates: { web: { State: 'running' } as never },
      },
    ]);
    expect(evalIDs).toEqual([]);
    expect(store.allocByID(alloc.ID)).toMatchObject({
      ClientStatus: 'running',
      DesiredStatus: 'run',
      ModifyIndex: index,
      AllocModifyIndex: alloc.AllocModifyIndex,
    });
    expect(store.allocByID(alloc.ID)?.TaskStates?.web?.State).toBe('running');
  });

  it('creates an alloc-failure evaluation for a failed allocation, in the same write', async () => {
    const a = await placed();
    const b = await placed();
    const { index, evalIDs } = await updateAllocsFromClient(ctx, [
      { ID: a.ID, NodeID: node.ID, ClientStatus: 'failed' },
      { ID: b.ID, NodeID: node.ID, ClientStatus: 'failed' },
    ]);
    expect(evalIDs).toHaveLength(1);
    expect(store.evalByID(evalIDs[0]!)).toMatchObject({
      TriggeredBy: 'alloc-failure',
      JobID: job.ID,
      Type: 'service',
      Priority: job.Priority,
      Status: 'pending',
      CreateIndex: index,
    });
    expect(store.allocByID(a.ID)?.ModifyIndex).toBe(index);
  });

  it('creates none when the reschedule policy has no attempts left', async () => {
    const now = Date.now() * 1e6;
    const alloc = await placed({
      RescheduleTracker: {
        Events: [
          { RescheduleTime: now - 60e9, PrevAllocID: '', PrevNodeID: '', Delay: 0 },
          { RescheduleTime: now - 30e9, PrevAllocID: '', PrevNodeID: '', Delay: 0 },
        ],
        LastReschedule: 'ok',
      },
    });
    const { evalIDs } = await updateAllocsFromClient(ctx, [
      { ID: alloc.ID, NodeID: node.ID, ClientStatus: 'failed' },
    ]);
    expect(evalIDs).toEqual([]);
  });

  it('stops an allocation whose job is gone, with a job-deregister evaluation', async () => {
    const alloc = await placed();
    await store.write((tx) => tx.deleteJob(job.Namespace, job.ID));
    const { evalIDs } = await updateAllocsFromClient(ctx, [
      { ID: alloc.ID, NodeID: node.ID, ClientStatus: 'complete' },
    ]);
    expect(store.evalByID(evalIDs[0]!)?.TriggeredBy).toBe('job-deregister');
    expect(store.allocByID(alloc.ID)?.DesiredStatus).toBe('stop');
  });

  it('refuses an empty report, an unknown node and a node that is down', async () => {
    expect((await rejects(updateAllocsFromClient(ctx, []))).message).toBe(
      'must update at least one allocation',
    );
    const ghost = randomUUID();
    expect(
      (
        await rejects(
          updateAllocsFromClient(ctx, [
            { ID: randomUUID(), NodeID: ghost, ClientStatus: 'running' },
          ]),
        )
      ).message,
    ).toBe(`node ${ghost} not found`);
    await updateNodeStatus(ctx, node.ID, 'down');
    const down = await rejects(
      updateAllocsFromClient(ctx, [{ ID: randomUUID(), NodeID: node.ID, ClientStatus: 'running' }]),
    );
    expect(down.message).toBe(
      `node ${node.ID} is not allowed to update allocs while in status down`,
    );
  });
});
