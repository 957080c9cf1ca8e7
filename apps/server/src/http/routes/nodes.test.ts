import { BerthApiError } from '@berth/client';
import { NodeSchema, type NodeRegistration } from '@berth/contract';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { registerNode } from '../../endpoints/nodes/register.js';
import { updateNodeStatus } from '../../endpoints/nodes/update-status.js';
import type { EndpointContext } from '../../endpoints/context.js';
import { aclDisabled } from '../../acl/acl.js';
import { noNodeConnections } from '../../nodes/client-rpc.js';
import { seed, startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockAlloc, mockNode } from '../../test-support/mock.js';
import { waitForState } from '../../test-support/wait-for-state.js';

let server: TestServer;
let ctx: EndpointContext;

async function start(scheduling = false) {
  server = await startTestServer({ scheduling });
  ctx = { store: server.store, acl: aclDisabled, clientRpc: noNodeConnections };
}
afterEach(() => server.close());

async function failure(promise: Promise<unknown>): Promise<BerthApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BerthApiError);
  return err as BerthApiError;
}

function registration(overrides: Partial<NodeRegistration> = {}): NodeRegistration {
  return { ...mockNode(), SecretID: randomUUID(), ...overrides };
}

describe('nodes read API', () => {
  beforeEach(() => start());

  test('GET /v1/nodes lists stubs in ID order; prefix, resources and os as asked', async () => {
    const a = registration({
      ID: 'aaaa0000-0000-4000-8000-000000000001',
      HTTPAddr: '10.0.0.1:4646',
    });
    const b = registration({ ID: 'bbbb0000-0000-4000-8000-000000000002', NodeClass: 'large' });
    await registerNode(ctx, b);
    const { index } = await registerNode(ctx, a);
    const { data, meta } = await server.client.nodes.list();
    expect(data.map((n) => n.ID)).toEqual([a.ID, b.ID]);
    expect(meta.lastIndex).toBe(index);
    expect(data[0]).toMatchObject({
      Address: '10.0.0.1',
      Datacenter: 'dc1',
      Status: 'ready',
      SchedulingEligibility: 'eligible',
      NodeResources: null,
      Attributes: null,
    });
    expect(data[0]).not.toHaveProperty('SecretID');

    const byPrefix = await server.client.nodes.list({ prefix: 'bb' });
    expect(byPrefix.data.map((n) => n.NodeClass)).toEqual(['large']);
    const detailed = await server.client.nodes.list({ resources: true, os: true });
    expect(detailed.data[0]?.NodeResources?.Cpu.CpuShares).toBe(4000);
    expect(detailed.data[0]?.Attributes).toEqual({ 'os.name': 'debian' });
  });

  test('GET /v1/node/:id answers the node without its secret, at its ModifyIndex', async () => {
    const node = registration();
    const { index } = await registerNode(ctx, node);
    const res = await server.inject({ method: 'GET', url: `/v1/node/${node.ID}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-nomad-index']).toBe(String(index));
    expect(res.body).not.toContain(node.SecretID);
    const body = JSON.parse(res.body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(Object.keys(NodeSchema.shape).sort());

    const { data } = await server.client.nodes.info(node.ID);
    expect(data).toMatchObject({ ID: node.ID, Status: 'ready', HTTPAddr: node.HTTPAddr });
    expect(data.Drivers?.raw_exec?.Detected).toBe(true);
  });

  test('GET /v1/node/:id answers 404 `node not found`, and 400 for a malformed ID', async () => {
    const missing = await failure(server.client.nodes.info(randomUUID()));
    expect([missing.status, missing.message]).toEqual([404, 'node not found']);
    const bad = await failure(server.client.nodes.info('abc'));
    expect([bad.status, bad.message]).toEqual([
      400,
      'node lookup failed: index error: UUID must be 36 characters',
    ]);
  });

  test('GET /v1/node/:id/allocations answers the complete allocations, at the newest one’s index', async () => {
    const node = registration();
    await registerNode(ctx, node);
    const first = mockAlloc({ NodeID: node.ID });
    await seed(server.store, { allocs: [first] });
    const second = mockAlloc({ NodeID: node.ID });
    const index = await seed(server.store, { allocs: [second, mockAlloc()] });
    const { data, meta } = await server.client.nodes.allocations(node.ID);
    expect(data.map((a) => a.ID).sort()).toEqual([first.ID, second.ID].sort());
    expect(data.find((a) => a.ID === first.ID)?.Job?.ID).toBe(first.JobID);
    expect(meta.lastIndex).toBe(index);
    expect((await server.client.nodes.allocations(randomUUID())).data).toEqual([]);
  });

  test('GET /v1/node/:id blocks until the node changes', async () => {
    const node = registration();
    const { index } = await registerNode(ctx, node);
    const waiting = server.client.nodes.info(node.ID, { index, wait: '10s' });
    const down = await updateNodeStatus(ctx, node.ID, 'down');
    const { data, meta } = await waiting;
    expect(data.Status).toBe('down');
    expect(meta.lastIndex).toBe(down.index);
  });
});

describe('a node going down, with the scheduler running', () => {
  beforeEach(() => start(true));

  test('its allocations are marked lost and replaced on another node', async () => {
    const doomed = registration();
    const spare = registration();
    await registerNode(ctx, doomed);
    const job = {
      ID: 'web',
      Datacenters: ['dc1'],
      TaskGroups: [
        {
          Name: 'web',
          Count: 2,
          Tasks: [{ Name: 'web', Driver: 'raw_exec', Resources: { CPU: 100, MemoryMB: 64 } }],
        },
      ],
    };
    const { data: registered } = await server.client.jobs.register(job);
    const complete = (id: string) => () => server.store.evalByID(id)?.Status === 'complete';
    await waitForState(server.store, complete(registered.EvalID));
    expect((await server.client.nodes.allocations(doomed.ID)).data).toHaveLength(2);
    await registerNode(ctx, spare);

    const { evalIDs } = await updateNodeStatus(ctx, doomed.ID, 'down');
    expect(evalIDs).toHaveLength(1);
    await waitForState(server.store, complete(evalIDs[0]!));

    const { data: evaluation } = await server.client.evaluations.info(evalIDs[0]!);
    expect(evaluation).toMatchObject({ TriggeredBy: 'node-update', NodeID: doomed.ID });
    const lost = (await server.client.nodes.allocations(doomed.ID)).data;
    expect(lost.map((a) => [a.ClientStatus, a.DesiredStatus])).toEqual([
      ['lost', 'stop'],
      ['lost', 'stop'],
    ]);
    const replacements = (await server.client.nodes.allocations(spare.ID)).data;
    expect(replacements).toHaveLength(2);
    expect(replacements.map((a) => a.PreviousAllocation).sort()).toEqual(
      lost.map((a) => a.ID).sort(),
    );
    expect(lost.every((a) => replacements.some((r) => r.ID === a.NextAllocation))).toBe(true);
  });

  test('what did not fit is placed once a node registers, by the same blocked evaluation', async () => {
    await registerNode(ctx, registration());
    const job = {
      ID: 'big',
      Datacenters: ['dc1'],
      TaskGroups: [
        {
          Name: 'web',
          Count: 12,
          Tasks: [{ Name: 'web', Driver: 'raw_exec', Resources: { CPU: 500, MemoryMB: 64 } }],
        },
      ],
    };
    const { data: registered } = await server.client.jobs.register(job);
    const status = (id: string) => server.store.evalByID(id)?.Status;
    await waitForState(server.store, () => status(registered.EvalID) === 'complete');
    const { data: first } = await server.client.evaluations.info(registered.EvalID);
    expect(Object.keys(first.FailedTGAllocs ?? {})).toEqual(['web']);
    const blockedID = first.BlockedEval;
    expect(status(blockedID)).toBe('blocked');
    expect((await server.client.jobs.allocations('big')).data).toHaveLength(8);

    await registerNode(ctx, registration());
    await waitForState(server.store, () => status(blockedID) === 'complete');
    expect((await server.client.jobs.allocations('big')).data).toHaveLength(12);
    const { data: blocked } = await server.client.evaluations.list({
      job: 'big',
      status: 'blocked',
    });
    expect(blocked).toEqual([]);
  });
});
