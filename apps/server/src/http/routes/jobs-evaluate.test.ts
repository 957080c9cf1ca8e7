// `POST /v1/job/:id/evaluate` (Nomad's `nomad job eval`) with the real scheduling loop behind it:
// a new evaluation the scheduler processes, and ForceReschedule replacing a failed allocation now
// instead of after its reschedule delay.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { aclDisabled } from '../../acl/acl.js';
import type { EndpointContext } from '../../endpoints/context.js';
import { registerNode } from '../../endpoints/nodes/register.js';
import { updateAllocsFromClient } from '../../endpoints/nodes/update-allocs.js';
import { noNodeConnections } from '../../nodes/client-rpc.js';
import { startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockNode } from '../../test-support/mock.js';
import { waitForState } from '../../test-support/wait-for-state.js';

const SECOND = 1_000_000_000;
let server: TestServer;
let ctx: EndpointContext;

beforeEach(async () => {
  server = await startTestServer({ scheduling: true });
  ctx = { store: server.store, acl: aclDisabled, clientRpc: noNodeConnections };
  await registerNode(ctx, mockNode() as never);
});
afterEach(() => server.close());

const job = (extra: Record<string, unknown> = {}) => ({
  ID: 'web',
  Datacenters: ['dc1'],
  TaskGroups: [{ Name: 'web', Count: 2, Tasks: [{ Name: 'web', Driver: 'raw_exec' }], ...extra }],
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

test('evaluate creates a job-register evaluation of the current version that the scheduler completes', async () => {
  const registered = await register(job());
  const version = server.store.jobByID('default', 'web')!;

  const { data, meta } = await server.client.jobs.evaluate('web');
  expect(data.EvalID).not.toBe(registered.EvalID);
  expect(data).toMatchObject({
    EvalCreateIndex: data.Index,
    JobModifyIndex: version.ModifyIndex,
    Warnings: '',
  });
  expect(meta.lastIndex).toBe(data.Index);
  await waitForState(server.store, evalSettled(data.EvalID));
  expect(server.store.evalByID(data.EvalID)).toMatchObject({
    Status: 'complete',
    TriggeredBy: 'job-register',
    JobID: 'web',
    JobModifyIndex: version.ModifyIndex,
    Priority: version.Priority,
  });
  // Nothing changed, so the two allocations stay as they were.
  const allocs = (await server.client.jobs.allocations('web')).data;
  expect(allocs.filter((a) => a.DesiredStatus === 'run')).toHaveLength(2);
  expect(server.store.jobByID('default', 'web')!.Version).toBe(version.Version);
});

test('ForceReschedule replaces a failed allocation now instead of after its delay', async () => {
  await register(
    job({
      ReschedulePolicy: {
        Attempts: 1,
        Interval: 24 * 3600 * SECOND,
        Delay: 3600 * SECOND,
        DelayFunction: 'constant',
        MaxDelay: 3600 * SECOND,
        Unlimited: false,
      },
    }),
  );
  const [first] = server.store.allocsByJob('default', 'web');
  const { evalIDs } = await updateAllocsFromClient(ctx, [
    { ID: first!.ID, NodeID: first!.NodeID, ClientStatus: 'failed' },
  ]);
  for (const id of evalIDs) await waitForState(server.store, evalSettled(id));
  // The policy's hour-long delay holds the replacement back.
  expect(server.store.allocByID(first!.ID)!.NextAllocation).toBe('');

  const { data } = await server.client.jobs.evaluate('web', { forceReschedule: true });
  expect(server.store.allocByID(first!.ID)!.DesiredTransition.ForceReschedule).toBe(true);
  await waitForState(server.store, evalSettled(data.EvalID));
  const next = server.store.allocByID(first!.ID)!.NextAllocation;
  expect(next).not.toBe('');
  expect(server.store.allocByID(next)).toMatchObject({
    PreviousAllocation: first!.ID,
    EvalID: data.EvalID,
    DesiredStatus: 'run',
  });
});

test('ForceReschedule leaves alone the failed allocations of a group that does not reschedule', async () => {
  await register(
    job({
      ReschedulePolicy: {
        Attempts: 0,
        Interval: 0,
        Delay: 5 * SECOND,
        DelayFunction: 'constant',
        MaxDelay: 0,
        Unlimited: false,
      },
    }),
  );
  const [first] = server.store.allocsByJob('default', 'web');
  await updateAllocsFromClient(ctx, [
    { ID: first!.ID, NodeID: first!.NodeID, ClientStatus: 'failed' },
  ]);
  const { data } = await server.client.jobs.evaluate('web', { forceReschedule: true });
  await waitForState(server.store, evalSettled(data.EvalID));
  const after = server.store.allocByID(first!.ID)!;
  expect(after.DesiredTransition.ForceReschedule).toBeNull();
  expect(after.NextAllocation).toBe('');
});

test("no body evaluates the path's job; PUT works as POST", async () => {
  await register(job());
  const none = await server.inject({ method: 'POST', url: '/v1/job/web/evaluate' });
  expect(none.statusCode).toBe(200);
  const put = await server.inject({
    method: 'PUT',
    url: '/v1/job/web/evaluate',
    payload: { JobID: 'web', EvalOptions: { ForceReschedule: false } },
  });
  expect(put.statusCode).toBe(200);
  for (const res of [none, put]) {
    const body = res.json<{ EvalID: string }>();
    expect(server.store.evalByID(body.EvalID)?.TriggeredBy).toBe('job-register');
  }
});

test("refusals use Nomad's texts", async () => {
  await register(job());
  const send = async (url: string, payload?: unknown) => {
    const res = await server.inject({
      method: 'POST',
      url,
      ...(payload !== undefined && { payload: JSON.stringify(payload) }),
      headers: { 'content-type': 'application/json' },
    });
    return [res.statusCode, res.body, res.headers['content-type']] as const;
  };
  expect(await send('/v1/job/nope/evaluate')).toEqual([
    404,
    'job not found',
    expect.stringMatching(/^text\/plain/),
  ]);
  expect((await send('/v1/job/web/evaluate', {})).slice(0, 2)).toEqual([
    400,
    'Job ID must be specified',
  ]);
  expect((await send('/v1/job/web/evaluate', { JobID: 'other' })).slice(0, 2)).toEqual([
    400,
    'JobID not same as job name',
  ]);
  expect((await send('/v1/job/web/evaluate', { JobID: 7 })).slice(0, 2)).toEqual([
    400,
    'Failed to decode body: json: cannot unmarshal number into Go struct field JobEvaluateRequest.JobID of type string',
  ]);
  expect(
    (
      await send('/v1/job/web/evaluate', { JobID: 'web', EvalOptions: { ForceReschedule: 'yes' } })
    ).slice(0, 2),
  ).toEqual([
    400,
    'Failed to decode body: json: cannot unmarshal string into Go struct field JobEvaluateRequest.EvalOptions.ForceReschedule of type bool',
  ]);
});

test('a periodic job cannot be evaluated', async () => {
  await server.client.jobs.register({
    ...job(),
    Type: 'batch',
    Periodic: { Enabled: true, SpecType: 'cron', Spec: '*/5 * * * *' },
  });
  const res = await server.inject({ method: 'POST', url: '/v1/job/web/evaluate' });
  expect([res.statusCode, res.body]).toEqual([400, "can't evaluate periodic job"]);
});
