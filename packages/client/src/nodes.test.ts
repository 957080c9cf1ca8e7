import { expect, test } from 'vitest';
import { createClient } from './index.js';
import { fakeFetch, json, text } from './test-support/fake-fetch.js';

const NODE = 'f7476465-4d6e-c0de-26d0-e383c49be941';

test('list asks for resources and os; stubs get zero values', async () => {
  const { fetch, sent } = fakeFetch(() =>
    json([
      {
        ID: NODE,
        Name: 'client-1',
        Datacenter: 'dc1',
        Status: 'ready',
        NodeResources: { Cpu: { CpuShares: 4000 } },
      },
    ]),
  );
  const client = createClient({ address: 'http://h', fetch });
  const { data } = await client.nodes.list({ resources: true, os: true, prefix: 'f7' });
  expect(sent[0]!.url.pathname).toBe('/v1/nodes');
  expect(Object.fromEntries(sent[0]!.url.searchParams)).toEqual({
    resources: 'true',
    os: 'true',
    prefix: 'f7',
  });
  expect(data[0]).toMatchObject({
    ID: NODE,
    SchedulingEligibility: 'eligible',
    Drivers: null,
    NodeResources: { Cpu: { CpuShares: 4000 }, Memory: { MemoryMB: 0 } },
    ReservedResources: null,
  });
});

test('info and allocations of one node', async () => {
  const { fetch, sent } = fakeFetch((req) =>
    req.url.pathname.endsWith('/allocations')
      ? json([{ ID: 'a1', NodeID: NODE, DesiredStatus: 'run', ClientStatus: 'running' }])
      : json({
          ID: NODE,
          Status: 'down',
          HTTPAddr: '10.0.0.5:4646',
          Attributes: { 'kernel.name': 'linux' },
        }),
  );
  const client = createClient({ address: 'http://h', fetch });
  const { data: node } = await client.nodes.info(NODE);
  const { data: allocs } = await client.nodes.allocations(NODE, { index: 3 });
  expect(sent.map((r) => `${r.url.pathname}${r.url.search}`)).toEqual([
    `/v1/node/${NODE}`,
    `/v1/node/${NODE}/allocations?index=3`,
  ]);
  expect(node).toMatchObject({
    Status: 'down',
    HTTPAddr: '10.0.0.5:4646',
    Attributes: { 'kernel.name': 'linux' },
  });
  expect(allocs[0]).toMatchObject({ ID: 'a1', NodeID: NODE, Job: null });
});

test('a missing node is a 404 BerthApiError', async () => {
  const { fetch } = fakeFetch(() => text(404, 'node not found'));
  await expect(createClient({ address: 'http://h', fetch }).nodes.info(NODE)).rejects.toMatchObject(
    {
      status: 404,
      message: 'node not found',
      path: `/v1/node/${NODE}`,
    },
  );
});

test('updateDrain and toggleEligibility send Nomad’s bodies and read the update answers', async () => {
  const { fetch, sent } = fakeFetch((req) =>
    json(
      req.url.pathname.endsWith('/eligibility')
        ? { EvalIDs: ['e1'], EvalCreateIndex: 12, NodeModifyIndex: 12, Index: 12 }
        : { NodeModifyIndex: 11, Index: 11 },
    ),
  );
  const client = createClient({ address: 'http://h', fetch });
  const drain = await client.nodes.updateDrain(NODE, {
    drainSpec: { Deadline: 60e9, IgnoreSystemJobs: true },
    meta: { message: 'maintenance' },
  });
  expect(sent[0]!.method).toBe('POST');
  expect(sent[0]!.url.pathname).toBe(`/v1/node/${NODE}/drain`);
  expect(JSON.parse(sent[0]!.body!)).toEqual({
    NodeID: NODE,
    DrainSpec: { Deadline: 60e9, IgnoreSystemJobs: true },
    MarkEligible: false,
    Meta: { message: 'maintenance' },
  });
  expect(drain.data).toEqual({ EvalIDs: null, EvalCreateIndex: 0, NodeModifyIndex: 11, Index: 11 });

  await client.nodes.updateDrain(NODE, { drainSpec: null, markEligible: true });
  expect(JSON.parse(sent[1]!.body!)).toMatchObject({ DrainSpec: null, MarkEligible: true });

  const elig = await client.nodes.toggleEligibility(NODE, true);
  expect(sent[2]!.url.pathname).toBe(`/v1/node/${NODE}/eligibility`);
  expect(JSON.parse(sent[2]!.body!)).toEqual({ NodeID: NODE, Eligibility: 'eligible' });
  expect(elig.data.EvalIDs).toEqual(['e1']);
  await client.nodes.toggleEligibility(NODE, false);
  expect(JSON.parse(sent[3]!.body!)).toMatchObject({ Eligibility: 'ineligible' });
});
