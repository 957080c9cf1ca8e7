// GET /v1/job/:id/summary with the real scheduling loop: the counts follow the allocations
// through their client states, Queued comes from the evaluation that could not place them, and a
// blocking read wakes when they change.
import type { JobSummary } from '@berth/contract';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { aclDisabled } from '../../acl/acl.js';
import type { EndpointContext } from '../../endpoints/context.js';
import { registerNode } from '../../endpoints/nodes/register.js';
import {
  updateAllocsFromClient,
  type ClientAllocUpdate,
} from '../../endpoints/nodes/update-allocs.js';
import { updateNodeStatus } from '../../endpoints/nodes/update-status.js';
import { noNodeConnections } from '../../nodes/client-rpc.js';
import { failure } from '../../test-support/api-failure.js';
import { startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockNode } from '../../test-support/mock.js';
import { waitForState } from '../../test-support/wait-for-state.js';

let server: TestServer;
let ctx: EndpointContext;

beforeEach(async () => {
  server = await startTestServer({ scheduling: true });
  ctx = { store: server.store, acl: aclDisabled, clientRpc: noNodeConnections };
});
afterEach(() => server.close());

/** A batch job of 3 instances of 1,000 MHz (a finished instance is not replaced). */
const batchJob = {
  ID: 'report',
  Type: 'batch' as const,
  Datacenters: ['dc1'],
  TaskGroups: [
    {
      Name: 'run',
      Count: 3,
      // Failed instances are not rescheduled, so the counts stay put.
      ReschedulePolicy: { Attempts: 0, Unlimited: false },
      RestartPolicy: { Attempts: 0, Mode: 'fail' },
      Tasks: [{ Name: 'run', Driver: 'raw_exec', Resources: { CPU: 1000, MemoryMB: 256 } }],
    },
  ],
};

const zero = { Queued: 0, Complete: 0, Failed: 0, Running: 0, Starting: 0, Lost: 0, Unknown: 0 };

const summary = async () => (await server.client.jobs.summary('report')).data;

const settled = () =>
  server.store
    .evalsByJob('default', 'report')
    .every((e) => ['complete', 'failed', 'blocked', 'canceled'].includes(e.Status));

async function report(updates: ClientAllocUpdate[]) {
  const { evalIDs } = await updateAllocsFromClient(ctx, updates);
  for (const id of evalIDs) {
    await waitForState(server.store, () =>
      ['complete', 'failed', 'blocked'].includes(server.store.evalByID(id)?.Status ?? ''),
    );
  }
}

describe('GET /v1/job/:id/summary', () => {
  test('follows the allocations from queued to starting, running, complete, failed and lost', async () => {
    const { data: registered } = await server.client.jobs.register(batchJob);
    await waitForState(
      server.store,
      () => server.store.evalByID(registered.EvalID)?.Status === 'complete',
    );
    // No node: nothing placed, the evaluation reports 3 queued and leaves a blocked one behind.
    expect(server.store.evalsByJob('default', 'report').map((e) => e.Status)).toContain('blocked');
    const queued = await summary();
    expect(queued).toEqual<JobSummary>({
      JobID: 'report',
      Namespace: 'default',
      Summary: { run: { ...zero, Queued: 3 } },
      Children: { Pending: 0, Running: 0, Dead: 0 },
      CreateIndex: server.store.jobByID('default', 'report')!.CreateIndex,
      ModifyIndex: expect.any(Number) as number,
    });

    // A blocking read wakes when a node arrives and the blocked evaluation places the instances.
    const { meta } = await server.client.jobs.summary('report');
    const woken = server.client.jobs.summary('report', { index: meta.lastIndex, wait: '10s' });
    const node = mockNode();
    await registerNode(ctx, node as never);
    const placed = await woken;
    expect(placed.meta.lastIndex).toBeGreaterThan(meta.lastIndex);
    await waitForState(
      server.store,
      () => server.store.allocsByJob('default', 'report').length === 3 && settled(),
    );
    expect((await summary()).Summary).toEqual({ run: { ...zero, Starting: 3 } });

    const [a, b, c] = server.store.allocsByJob('default', 'report');
    const on = (alloc: typeof a, ClientStatus: ClientAllocUpdate['ClientStatus']) => ({
      ID: alloc!.ID,
      NodeID: alloc!.NodeID,
      ClientStatus,
    });
    await report([on(a, 'running'), on(b, 'running'), on(c, 'running')]);
    expect((await summary()).Summary).toEqual({ run: { ...zero, Running: 3 } });

    await report([on(a, 'complete'), on(b, 'failed')]);
    expect((await summary()).Summary).toEqual({
      run: { ...zero, Running: 1, Complete: 1, Failed: 1 },
    });

    // The node goes down: its running instance is lost, and its replacement has nowhere to go.
    const { evalIDs } = await updateNodeStatus(ctx, node.ID, 'down');
    for (const id of evalIDs) {
      await waitForState(server.store, () => server.store.evalByID(id)?.Status === 'complete');
    }
    const after = await summary();
    expect(after.Summary).toEqual({ run: { ...zero, Complete: 1, Failed: 1, Lost: 1, Queued: 1 } });
    const { meta: last } = await server.client.jobs.summary('report');
    expect(last.lastIndex).toBe(after.ModifyIndex);
  }, 30_000);

  test('404 job not found', async () => {
    const err = await failure(server.client.jobs.summary('nope'));
    expect(err.status).toBe(404);
    expect(err.message).toBe('job not found');
  });
});
