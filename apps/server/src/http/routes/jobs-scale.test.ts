// `POST`/`GET /v1/job/:id/scale` (Nomad's `nomad job scale` and `job scaling-events`) with the
// real scheduling loop behind them: a scale the scheduler carries out, the scaling policy's
// bounds, and the events kept per group, newest first.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { aclDisabled } from '../../acl/acl.js';
import type { EndpointContext } from '../../endpoints/context.js';
import { registerNode } from '../../endpoints/nodes/register.js';
import { updateAllocsFromClient } from '../../endpoints/nodes/update-allocs.js';
import { noNodeConnections } from '../../nodes/client-rpc.js';
import { startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockNode } from '../../test-support/mock.js';
import { waitForState } from '../../test-support/wait-for-state.js';

let server: TestServer;
let ctx: EndpointContext;

beforeEach(async () => {
  server = await startTestServer({ scheduling: true });
  ctx = { store: server.store, acl: aclDisabled, clientRpc: noNodeConnections };
  await registerNode(ctx, mockNode() as never);
  await registerNode(ctx, mockNode() as never);
});
afterEach(() => server.close());

const job = (extra: Record<string, unknown> = {}) => ({
  ID: 'web',
  Datacenters: ['dc1'],
  TaskGroups: [
    {
      Name: 'web',
      Count: 2,
      Tasks: [{ Name: 'web', Driver: 'raw_exec', Resources: { CPU: 500, MemoryMB: 128 } }],
      ...extra,
    },
  ],
});

const evalSettled = (id: string) => () => {
  const status = server.store.evalByID(id)?.Status;
  return status === 'complete' || status === 'failed';
};

async function register(spec: object) {
  const { data } = await server.client.jobs.register(spec);
  await waitForState(server.store, evalSettled(data.EvalID));
  return data;
}

const live = () =>
  server.store.allocsByJob('default', 'web').filter((a) => a.DesiredStatus === 'run');

/** Each node's agent reports its live allocations running (a report names one node's only). */
async function reportRunning() {
  for (const nodeID of new Set(live().map((a) => a.NodeID))) {
    const mine = live().filter((a) => a.NodeID === nodeID);
    await updateAllocsFromClient(
      ctx,
      mine.map((a) => ({ ID: a.ID, NodeID: a.NodeID, ClientStatus: 'running' })),
    );
  }
}

async function post(payload: unknown, url = '/v1/job/web/scale') {
  const res = await server.inject({ method: 'POST', url, payload: JSON.stringify(payload) });
  return [res.statusCode, res.body] as const;
}

test('a scale from 2 to 4 is a new job version and an evaluation the scheduler carries out', async () => {
  await register(job());
  const before = server.store.jobByID('default', 'web')!;

  const { data, meta } = await server.client.jobs.scale('web', {
    group: 'web',
    count: 4,
    message: 'more traffic',
    meta: { source: 'test' },
  });
  expect(data.EvalID).not.toBe('');
  expect(data).toMatchObject({ EvalCreateIndex: data.Index, JobModifyIndex: data.Index });
  expect(meta.lastIndex).toBe(data.Index);
  await waitForState(server.store, evalSettled(data.EvalID));
  expect(server.store.evalByID(data.EvalID)).toMatchObject({
    Status: 'complete',
    TriggeredBy: 'job-scaling',
    JobModifyIndex: data.JobModifyIndex,
  });
  const after = server.store.jobByID('default', 'web')!;
  expect(after.Version).toBe(before.Version + 1);
  expect(after.TaskGroups![0]!.Count).toBe(4);
  expect(live()).toHaveLength(4);
  await reportRunning();

  const { data: status } = await server.client.jobs.scaleStatus('web');
  expect(status).toMatchObject({
    JobID: 'web',
    Namespace: 'default',
    JobCreateIndex: before.CreateIndex,
    JobModifyIndex: after.ModifyIndex,
    JobStopped: false,
  });
  expect(status.TaskGroups!.web).toMatchObject({ Desired: 4, Placed: 4, Running: 4 });
  const events = status.TaskGroups!.web!.Events!;
  expect(events[0]!.Time).toBeGreaterThan(0);
  expect(events).toEqual([
    {
      Time: events[0]!.Time,
      Count: 4,
      PreviousCount: 2,
      Message: 'more traffic',
      Error: false,
      Meta: { source: 'test' },
      EvalID: data.EvalID,
      CreateIndex: data.Index,
    },
  ]);
});

test("a count outside the group's scaling policy is refused and changes nothing", async () => {
  await register(job({ Scaling: { Min: 1, Max: 3, Enabled: true } }));
  const index = server.store.latestIndex();
  expect(await post({ Count: 5, Target: { Group: 'web' } })).toEqual([
    400,
    'group count was greater than scaling policy maximum: 5 > 3',
  ]);
  expect(await post({ Count: 0, Target: { Group: 'web' } })).toEqual([
    400,
    'group count was less than scaling policy minimum: 0 < 1',
  ]);
  expect(server.store.latestIndex()).toBe(index);
  expect((await server.client.jobs.scaleStatus('web')).data.TaskGroups!.web!.Events).toBeNull();

  const { data } = await server.client.jobs.scale('web', { group: 'web', count: 3 });
  await waitForState(server.store, evalSettled(data.EvalID));
  expect(live()).toHaveLength(3);
});

test('events are listed newest first, at most 20 per group; an event without a count changes no version', async () => {
  await register(job());
  const version = server.store.jobByID('default', 'web')!.Version;
  for (let i = 0; i < 22; i += 1) {
    const { data } = await server.client.jobs.scale('web', {
      group: 'web',
      message: `check ${i}`,
      error: i % 2 === 1,
    });
    expect(data.EvalID).toBe('');
  }
  expect(server.store.jobByID('default', 'web')!.Version).toBe(version);
  const events = (await server.client.jobs.scaleStatus('web')).data.TaskGroups!.web!.Events!;
  expect(events.map((e) => e.Message)).toEqual(
    Array.from({ length: 20 }, (_, i) => `check ${21 - i}`),
  );
  expect(events[0]).toMatchObject({ Count: null, PreviousCount: 2, Error: true, EvalID: null });
  expect(events[1]).toMatchObject({ Error: false });
});

test("refusals use Nomad's texts", async () => {
  await register(job());
  expect(await post({ Count: 3, Target: {} })).toEqual([
    400,
    'missing task group name for scaling action',
  ]);
  expect(await post({ Count: -1, Target: { Group: 'web' } })).toEqual([
    400,
    "scaling action count can't be negative",
  ]);
  expect(await post({ Count: 3, Error: true, Target: { Group: 'web' } })).toEqual([
    400,
    'scaling action should not contain count if error is true',
  ]);
  expect(await post({ Count: 3, Target: { Group: 'api' } })).toEqual([
    400,
    'task group "api" specified for scaling does not exist in job',
  ]);
  expect(await post({ Count: 3, Target: { Group: 'web', Job: 'other' } })).toEqual([
    400,
    'job ID in payload did not match URL',
  ]);
  expect(await post({ Count: 3, Target: { Group: 'web', Namespace: 'db' } })).toEqual([
    400,
    'namespace in payload did not match header',
  ]);
  expect(await post({ Count: 3, Target: { Group: 'web' } }, '/v1/job/nope/scale')).toEqual([
    404,
    'job "nope" not found',
  ]);
  expect(await post({ Count: 3, Target: { Group: 'web' }, JobModifyIndex: 1 })).toEqual([
    409,
    expect.stringMatching(/^Enforcing job modify index 1: job exists with conflicting/),
  ]);
  expect(await post({ Count: 'x', Target: { Group: 'web' } })).toEqual([
    400,
    'json: cannot unmarshal string into Go struct field ScalingRequest.Count of type int64',
  ]);
  const fractional = await server.inject({
    method: 'POST',
    url: '/v1/job/web/scale',
    payload: '{"Count": 1.5, "Target": {"Group": "web"}}',
    headers: { 'content-type': 'application/json' },
  });
  expect([fractional.statusCode, fractional.body]).toEqual([
    400,
    'json: cannot unmarshal number 1.5 into Go struct field ScalingRequest.Count of type int64',
  ]);
  const empty = await server.inject({ method: 'POST', url: '/v1/job/web/scale' });
  expect([empty.statusCode, empty.body]).toEqual([400, 'Request body is empty']);
  const missing = await server.inject({ method: 'GET', url: '/v1/job/nope/scale' });
  expect([missing.statusCode, missing.body]).toEqual([404, 'job not found']);
});

test('PUT works as POST', async () => {
  await register(job());
  const res = await server.inject({
    method: 'PUT',
    url: '/v1/job/web/scale',
    payload: { Count: 1, Target: { Group: 'web' } },
  });
  expect(res.statusCode).toBe(200);
  expect(server.store.jobByID('default', 'web')!.TaskGroups![0]!.Count).toBe(1);
});

test('a blocked scale status read returns when the job is scaled', async () => {
  await register(job());
  const { meta } = await server.client.jobs.scaleStatus('web');
  const blocked = server.client.jobs.scaleStatus('web', { index: meta.lastIndex, wait: '10s' });
  const { data } = await server.client.jobs.scale('web', { group: 'web', count: 3 });
  const { data: status, meta: after } = await blocked;
  expect(after.lastIndex).toBeGreaterThanOrEqual(data.Index);
  expect(status.TaskGroups!.web!.Desired).toBe(3);
});

test('scaling events survive a restart', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'berth-scale-'));
  try {
    const first = await startTestServer({ dataDir });
    await first.client.jobs.register(job());
    await first.client.jobs.scale('web', { group: 'web', message: 'kept' });
    await first.close();
    const second = await startTestServer({ dataDir });
    try {
      const { data } = await second.client.jobs.scaleStatus('web');
      expect(data.TaskGroups!.web!.Events!.map((e) => e.Message)).toEqual(['kept']);
    } finally {
      await second.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('purging a job deletes its scaling events; a new job of that ID starts without them', async () => {
  await register(job());
  await server.client.jobs.scale('web', { group: 'web', message: 'old' });
  const { data } = await server.client.jobs.deregister('web', { purge: true });
  await waitForState(server.store, evalSettled(data.EvalID));
  expect(server.store.scalingEventsByJob('default', 'web')).toBeUndefined();
  await register(job());
  const status = (await server.client.jobs.scaleStatus('web')).data;
  expect(status.TaskGroups!.web!.Events).toBeNull();
});
