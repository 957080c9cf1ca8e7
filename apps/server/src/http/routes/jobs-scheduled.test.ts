// Jobs through the HTTP API with the real scheduling loop behind them: what a user sees after
// `job run` and `job stop`.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { seed, startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockNode } from '../../test-support/mock.js';
import { waitForState } from '../../test-support/wait-for-state.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ scheduling: true });
  await seed(server.store, { nodes: [mockNode(), mockNode()] });
});
afterEach(() => server.close());

const job = {
  ID: 'web',
  Datacenters: ['dc1'],
  TaskGroups: [{ Name: 'web', Count: 3, Tasks: [{ Name: 'web', Driver: 'raw_exec' }] }],
};

const evalDone = (id: string) => () => server.store.evalByID(id)?.Status === 'complete';

test('a registered job is placed; the list and read show it running; stopping it stops them', async () => {
  const { data: registered } = await server.client.jobs.register(job);
  await waitForState(server.store, evalDone(registered.EvalID));

  const { data: allocs } = await server.client.jobs.allocations('web');
  expect(allocs).toHaveLength(3);
  expect(allocs.map((a) => a.Name).sort()).toEqual(['web.web[0]', 'web.web[1]', 'web.web[2]']);
  expect(allocs.every((a) => a.EvalID === registered.EvalID && a.JobVersion === 0)).toBe(true);

  const [stub] = (await server.client.jobs.list()).data;
  expect(stub!.Status).toBe('running');
  expect(stub!.JobSummary!.Summary!.web).toMatchObject({ Starting: 3, Queued: 0 });

  const { data: stopped } = await server.client.jobs.deregister('web');
  await waitForState(server.store, evalDone(stopped.EvalID));
  const after = (await server.client.jobs.allocations('web')).data;
  expect(after.every((a) => a.DesiredStatus === 'stop')).toBe(true);
  const { data: read } = await server.client.jobs.info('web');
  expect(read).toMatchObject({ Stop: true, Status: 'dead', Version: 1 });
});
