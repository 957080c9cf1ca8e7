// The node write routes an operator uses: eligibility and drain, through the real app.
import { BerthApiError } from '@berth/client';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { aclDisabled } from '../../acl/acl.js';
import { registerNode } from '../../endpoints/nodes/register.js';
import { noNodeConnections } from '../../nodes/client-rpc.js';
import { seed, startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockAlloc, mockJob, mockNode } from '../../test-support/mock.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

async function failure(promise: Promise<unknown>): Promise<BerthApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BerthApiError);
  return err as BerthApiError;
}

async function readyNode() {
  const node = mockNode({ Status: 'ready' });
  await seed(server.store, { nodes: [node] });
  return node;
}

describe('POST /v1/node/:id/eligibility', () => {
  test('toggles eligibility with Nomad’s events; eligible again creates evaluations', async () => {
    const node = await readyNode();
    const job = mockJob();
    await seed(server.store, { jobs: [job] });
    await seed(server.store, { allocs: [mockAlloc({ NodeID: node.ID, JobID: job.ID, Job: job })] });

    const off = await server.client.nodes.toggleEligibility(node.ID, false);
    expect(off.data).toMatchObject({ EvalIDs: null, EvalCreateIndex: 0 });
    expect(off.data.NodeModifyIndex).toBe(off.data.Index);
    expect(off.meta.lastIndex).toBe(off.data.Index);
    let stored = (await server.client.nodes.info(node.ID)).data;
    expect(stored.SchedulingEligibility).toBe('ineligible');
    expect(stored.Events?.at(-1)).toMatchObject({
      Message: 'Node marked as ineligible for scheduling',
      Subsystem: 'Cluster',
    });

    const on = await server.client.nodes.toggleEligibility(node.ID, true);
    expect(on.data.EvalIDs).toHaveLength(1);
    expect(on.data.EvalCreateIndex).toBe(on.data.Index);
    const ev = server.store.evalByID(on.data.EvalIDs![0]!);
    expect(ev).toMatchObject({ TriggeredBy: 'node-update', JobID: job.ID, NodeID: node.ID });
    stored = (await server.client.nodes.info(node.ID)).data;
    expect(stored.SchedulingEligibility).toBe('eligible');
    expect(stored.Events?.at(-1)?.Message).toBe('Node marked as eligible for scheduling');

    // Already eligible: nothing written.
    const again = await server.client.nodes.toggleEligibility(node.ID, true);
    expect(again.data).toMatchObject({ Index: 0, EvalIDs: null });
  });

  test('bad value, unknown node, draining node, broken body: 4xx with Nomad’s texts', async () => {
    const node = await readyNode();
    const bad = await server.inject({
      method: 'PUT',
      url: `/v1/node/${node.ID}/eligibility`,
      payload: { Eligibility: 'maybe' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toBe('invalid scheduling eligibility "maybe"');

    const unknown = await failure(
      server.client.nodes.toggleEligibility('00000000-0000-4000-8000-000000000000', true),
    );
    expect(unknown.status).toBe(404);
    expect(unknown.message).toContain('node not found');

    const typed = await server.inject({
      method: 'POST',
      url: `/v1/node/${node.ID}/eligibility`,
      payload: { Eligibility: 1 },
    });
    expect(typed.statusCode).toBe(400);
    expect(typed.body).toContain('cannot unmarshal number');

    await server.client.nodes.updateDrain(node.ID, {
      drainSpec: { Deadline: 0, IgnoreSystemJobs: false },
    });
    const draining = await failure(server.client.nodes.toggleEligibility(node.ID, true));
    expect(draining.status).toBe(400);
    expect(draining.message).toContain(
      "can not set node's scheduling eligibility to eligible while it is draining",
    );
  });
});

describe('POST /v1/node/:id/drain', () => {
  test('sets the strategy, updates it, cancels it; LastDrain and events as Nomad', async () => {
    const node = await readyNode();
    const before = Date.now();
    const set = await server.client.nodes.updateDrain(node.ID, {
      drainSpec: { Deadline: 3600e9, IgnoreSystemJobs: true },
      meta: { message: 'kernel upgrade' },
    });
    expect(set.data.NodeModifyIndex).toBe(set.data.Index);
    let stored = (await server.client.nodes.info(node.ID)).data;
    expect(stored.SchedulingEligibility).toBe('ineligible');
    expect(stored.DrainStrategy).toMatchObject({ Deadline: 3600e9, IgnoreSystemJobs: true });
    expect(stored.Drain).toBe(true);
    expect((await server.client.nodes.list()).data[0]?.Drain).toBe(true);
    const force = Date.parse(stored.DrainStrategy!.ForceDeadline!);
    expect(force).toBeGreaterThanOrEqual(before + 3600e3 - 1000);
    expect(stored.LastDrain).toMatchObject({
      Status: 'draining',
      Meta: { message: 'kernel upgrade' },
    });
    expect(stored.Events?.at(-1)).toMatchObject({
      Message: 'Node drain strategy set',
      Subsystem: 'Drain',
    });
    const started = stored.DrainStrategy!.StartedAt;

    await server.client.nodes.updateDrain(node.ID, {
      drainSpec: { Deadline: 0, IgnoreSystemJobs: false },
    });
    stored = (await server.client.nodes.info(node.ID)).data;
    expect(stored.DrainStrategy).toMatchObject({
      Deadline: 0,
      ForceDeadline: '0001-01-01T00:00:00Z',
      StartedAt: started,
    });
    expect(stored.Events?.at(-1)?.Message).toBe('Node drain strategy updated');
    // Meta not given again: the first drain's is kept.
    expect(stored.LastDrain?.Meta).toEqual({ message: 'kernel upgrade' });

    await server.client.nodes.updateDrain(node.ID, { drainSpec: null });
    stored = (await server.client.nodes.info(node.ID)).data;
    expect(stored.DrainStrategy).toBeNull();
    expect(stored.Drain).toBe(false);
    expect(stored.SchedulingEligibility).toBe('ineligible');
    expect(stored.LastDrain?.Status).toBe('canceled');
    expect(stored.Events?.at(-1)?.Message).toBe('Node drain disabled');

    const eligible = await server.client.nodes.updateDrain(node.ID, {
      drainSpec: null,
      markEligible: true,
    });
    expect(eligible.data.Index).toBeGreaterThan(0);
    stored = (await server.client.nodes.info(node.ID)).data;
    expect(stored.SchedulingEligibility).toBe('eligible');
    expect(stored.LastDrain?.Status).toBe('canceled');
  });

  test('refuses a bad deadline, a broken body and an unknown node', async () => {
    const node = await readyNode();
    const negative = await server.inject({
      method: 'POST',
      url: `/v1/node/${node.ID}/drain`,
      payload: { DrainSpec: { Deadline: -2 } },
    });
    expect(negative.statusCode).toBe(400);
    expect(negative.body).toContain('invalid drain deadline -2');
    const typed = await server.inject({
      method: 'POST',
      url: `/v1/node/${node.ID}/drain`,
      payload: { DrainSpec: { Deadline: '1h' } },
    });
    expect(typed.statusCode).toBe(400);
    expect(typed.body).toContain('cannot unmarshal string');
    const empty = await server.inject({ method: 'POST', url: `/v1/node/${node.ID}/drain` });
    expect(empty.statusCode).toBe(400);
    const unknown = await server.inject({
      method: 'PUT',
      url: '/v1/node/00000000-0000-4000-8000-000000000000/drain',
      payload: { DrainSpec: null },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toBe('node not found');
  });

  test('a node registering again keeps its drain and eligibility', async () => {
    const ctx = { store: server.store, acl: aclDisabled, clientRpc: noNodeConnections };
    const node = { ...mockNode({ Status: 'ready' }), SecretID: randomUUID() };
    await registerNode(ctx, node);
    await server.client.nodes.updateDrain(node.ID, {
      drainSpec: { Deadline: 0, IgnoreSystemJobs: false },
    });
    await registerNode(ctx, node);
    const stored = (await server.client.nodes.info(node.ID)).data;
    expect(stored.SchedulingEligibility).toBe('ineligible');
    expect(stored.DrainStrategy).not.toBeNull();
    expect(stored.LastDrain?.Status).toBe('draining');
  });
});

describe('drain with ACLs on', () => {
  test('LastDrain names the token that asked; without node:write the answer is 403', async () => {
    await server.close();
    server = await startTestServer({ aclEnabled: true });
    const root = (await server.client.acl.bootstrap()).data;
    const node = await readyNode();
    const admin = server.clientFor({ token: root.SecretID });
    await admin.nodes.updateDrain(node.ID, {
      drainSpec: { Deadline: 0, IgnoreSystemJobs: false },
    });
    const stored = (await admin.nodes.info(node.ID)).data;
    expect(stored.LastDrain?.AccessorID).toBe(`token:${root.AccessorID}`);

    const anonymous = await failure(server.client.nodes.updateDrain(node.ID, { drainSpec: null }));
    expect(anonymous.status).toBe(403);
    const elig = await failure(server.client.nodes.toggleEligibility(node.ID, false));
    expect(elig.status).toBe(403);
  });
});
