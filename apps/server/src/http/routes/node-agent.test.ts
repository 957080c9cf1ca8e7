// The node agent routes through a ts-rest client of the contract, as an agent calls them:
// registration, heartbeats, the node-secret checks, the allocations long-poll and the reports.
import type { Allocation, Job, NodeRegistration } from '@berth/contract';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { agentClient, type AgentClient } from '../../nodes/testing/agent-client.js';
import { seed, startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockAlloc, mockJob, mockNode } from '../../test-support/mock.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ heartbeat: { ttlMs: 60_000 } });
});
afterEach(() => server.close());

function registration(overrides: Partial<NodeRegistration> = {}): NodeRegistration {
  return { ...mockNode(), Status: 'initializing', SecretID: randomUUID(), ...overrides };
}

/** Registers and heartbeats a node; returns it and a client holding its secret. */
async function readyNode(): Promise<{ node: NodeRegistration; agent: AgentClient }> {
  const node = registration();
  const agent = agentClient(server.app, node.SecretID);
  expect((await agent.register({ body: node })).status).toBe(200);
  expect((await agent.heartbeat({ params: { nodeID: node.ID }, body: {} })).status).toBe(200);
  return { node, agent };
}

describe('register and heartbeat', () => {
  test('a node registers with its secret, gets the TTL in nanoseconds, and a heartbeat makes it ready', async () => {
    const node = registration({ HTTPAddr: '127.0.0.1:4647' });
    const agent = agentClient(server.app, node.SecretID);
    const registered = await agent.register({ body: node });
    expect(registered.status).toBe(200);
    const index = server.store.nodeByID(node.ID)!.ModifyIndex;
    expect(registered.body).toEqual({
      HeartbeatTTL: 60e9,
      EvalIDs: [],
      EvalCreateIndex: 0,
      NodeModifyIndex: index,
      Index: index,
    });
    expect(registered.headers.get('X-Nomad-Index')).toBe(String(index));
    expect(server.heartbeats.has(node.ID)).toBe(true);

    const { data: read } = await server.client.nodes.info(node.ID);
    expect(read).toMatchObject({ Status: 'initializing', HTTPAddr: '127.0.0.1:4647' });
    expect(read).not.toHaveProperty('SecretID');

    const beat = await agent.heartbeat({ params: { nodeID: node.ID }, body: { Status: 'ready' } });
    expect(beat.status).toBe(200);
    expect(beat.body).toMatchObject({ HeartbeatTTL: 60e9 });
    expect((await server.client.nodes.info(node.ID)).data.Status).toBe('ready');
  });

  test('Nomad’s {"Node": ...} body registers too; a second registration must bring the same secret', async () => {
    const node = registration();
    const agent = agentClient(server.app);
    expect((await agent.register({ body: { Node: node } })).status).toBe(200);
    const again = await agent.register({ body: { ...node, SecretID: randomUUID() } });
    expect(again).toMatchObject({
      status: 400,
      body: 'node secret ID does not match. Not registering node.',
    });
  });

  test('a registration without a secret, or that does not decode, is a 400 with a clear text', async () => {
    const node: Partial<NodeRegistration> = registration();
    delete node.SecretID;
    const res = await server.inject({ method: 'POST', url: '/v1/node/register', payload: node });
    expect([res.statusCode, res.body]).toEqual([400, 'Failed to decode body: SecretID: Required']);
    const broken = await server.inject({
      method: 'POST',
      url: '/v1/node/register',
      headers: { 'content-type': 'application/json' },
      payload: '{"ID": ',
    });
    expect(broken.statusCode).toBe(400);
    const empty = await server.inject({
      method: 'POST',
      url: '/v1/node/register',
      payload: { ...registration(), Attributes: {} },
    });
    expect([empty.statusCode, empty.body]).toEqual([
      400,
      'missing attributes for client registration',
    ]);
  });
});

describe('registration refuses what the scheduler could not use, and stores nothing', () => {
  const post = (payload: string) =>
    server.inject({
      method: 'POST',
      url: '/v1/node/register',
      headers: { 'content-type': 'application/json' },
      payload,
    });

  test('numbers as their Go types, sound resources, and a UUID node ID, each a text 400', async () => {
    const before = server.store.latestIndex();
    const node = registration();
    const withMemory = (literal: string) =>
      JSON.stringify({ Node: { ...node, NodeResources: { Memory: { MemoryMB: '@' } } } }).replace(
        '"@"',
        literal,
      );
    const cases: [string, string][] = [
      [
        withMemory('9223372036854775808'),
        'Failed to decode body: json: cannot unmarshal number 9223372036854775808 into Go struct field NodeMemoryResources.Node.NodeResources.Memory.MemoryMB of type int64',
      ],
      [
        withMemory('1.5'),
        'Failed to decode body: json: cannot unmarshal number 1.5 into Go struct field NodeMemoryResources.Node.NodeResources.Memory.MemoryMB of type int64',
      ],
      [
        withMemory('-8192'),
        'invalid node resources: 1 error occurred:\n\t* NodeResources.Memory.MemoryMB must be between 0 and 9007199254740991; got -8192\n\n',
      ],
      [
        JSON.stringify({ ...node, ID: 'my-node' }),
        'node lookup failed: index error: UUID must be 36 characters',
      ],
    ];
    for (const [payload, text] of cases) {
      const res = await post(payload);
      expect([res.statusCode, res.headers['content-type'], res.body]).toEqual([
        400,
        'text/plain; charset=utf-8',
        text,
      ]);
    }
    expect(server.store.latestIndex()).toBe(before);
    expect(server.store.nodes()).toEqual([]);
    // The largest int64 is a number Go takes; it is past what the scheduler adds exactly.
    const largest = await post(withMemory('9223372036854775807'));
    expect(largest.statusCode).toBe(400);
    expect(largest.body).toContain('MemoryMB must be between 0 and 9007199254740991');
  });

  test('an upper-case UUID registers, and the node is read and heartbeats by either spelling', async () => {
    const node = registration();
    const agent = agentClient(server.app, node.SecretID);
    expect((await agent.register({ body: { ...node, ID: node.ID.toUpperCase() } })).status).toBe(
      200,
    );
    const read = await server.inject({ method: 'GET', url: `/v1/node/${node.ID.toUpperCase()}` });
    expect(read.json<{ ID: string }>().ID).toBe(node.ID);
    const beat = await agent.heartbeat({ params: { nodeID: node.ID.toUpperCase() }, body: {} });
    expect(beat.status).toBe(200);
  });
});

describe('node secrets', () => {
  test('every call but register needs the node’s own SecretID: 403 Permission denied otherwise', async () => {
    const { node } = await readyNode();
    const other = await readyNode();
    const params = { nodeID: node.ID };
    const callers = [agentClient(server.app), agentClient(server.app, randomUUID()), other.agent];
    for (const caller of callers) {
      const answers = await Promise.all([
        caller.heartbeat({ params, body: {} }),
        caller.allocations({ params, query: {} }),
        caller.updateAllocations({
          params,
          body: { Allocs: [{ ID: randomUUID(), ClientStatus: 'running' }] },
        }),
      ]);
      for (const answer of answers) {
        expect([answer.status, answer.body]).toEqual([403, 'Permission denied']);
      }
    }
  });

  test('an unknown node is 404 node not found (its agent registers again); a malformed ID a 400', async () => {
    const agent = agentClient(server.app, randomUUID());
    const unknown = await agent.heartbeat({ params: { nodeID: randomUUID() }, body: {} });
    expect([unknown.status, unknown.body]).toEqual([404, 'node not found']);
    const malformed = await agent.allocations({ params: { nodeID: 'xyz' }, query: {} });
    expect(malformed.status).toBe(400);
  });

  test('a node may not report an allocation of another node, nor speak for another node', async () => {
    const { node, agent } = await readyNode();
    const other = await readyNode();
    const job = mockJob();
    const theirs = mockAlloc({ Job: job, NodeID: other.node.ID });
    await seed(server.store, { jobs: [job], allocs: [theirs] });
    const params = { nodeID: node.ID };
    const answers = await Promise.all([
      agent.updateAllocations({
        params,
        body: { Allocs: [{ ID: theirs.ID, ClientStatus: 'failed' }] },
      }),
      agent.updateAllocations({
        params,
        body: { Allocs: [{ ID: theirs.ID, NodeID: other.node.ID, ClientStatus: 'failed' }] },
      }),
    ]);
    for (const answer of answers)
      expect([answer.status, answer.body]).toEqual([403, 'Permission denied']);
    expect(server.store.allocByID(theirs.ID)?.ClientStatus).toBe('pending');
  });
});

describe('client allocations', () => {
  let node: NodeRegistration;
  let agent: AgentClient;
  let job: Job;

  beforeEach(async () => {
    ({ node, agent } = await readyNode());
    job = mockJob();
    await seed(server.store, { jobs: [job] });
  });

  async function place(nodeID: string): Promise<Allocation> {
    const alloc = mockAlloc({ Job: server.store.jobByID(job.Namespace, job.ID)!, NodeID: nodeID });
    await seed(server.store, { allocs: [alloc] });
    return server.store.allocByID(alloc.ID)!;
  }

  test('the long-poll answers at once with index 0, and wakes on a new allocation for the node', async () => {
    await place(mockNode().ID); // another node's: never in the answer
    const first = await agent.allocations({ params: { nodeID: node.ID }, query: {} });
    expect(first.status).toBe(200);
    expect(first.body).toEqual([]);
    const index = Number(first.headers.get('X-Nomad-Index'));

    const polling = agent.allocations({
      params: { nodeID: node.ID },
      query: { index, wait: '30s' },
    });
    const ours = await place(node.ID);
    const woken = await polling;
    expect(woken.status).toBe(200);
    if (woken.status !== 200) return;
    expect(woken.body.map((a) => a.ID)).toEqual([ours.ID]);
    expect(woken.body[0]!.Job?.ID).toBe(job.ID);
    expect(woken.body[0]!.Job?.TaskGroups?.[0]?.Tasks?.[0]?.Config).toBeTruthy();
    expect(woken.headers.get('X-Nomad-Index')).toBe(String(ours.AllocModifyIndex));
  });

  test('the node’s own reports do not wake its poll; what the servers change does', async () => {
    const alloc = await place(node.ID);
    const polling = agent.allocations({
      params: { nodeID: node.ID },
      query: { index: alloc.AllocModifyIndex, wait: '30s' },
    });
    const report = await agent.updateAllocations({
      params: { nodeID: node.ID },
      body: { Allocs: [{ ID: alloc.ID, ClientStatus: 'running' }] },
    });
    expect(report.status).toBe(200);
    const { data: stopped } = await server.client.allocations.stop(alloc.ID);
    const woken = await polling;
    expect(woken.status).toBe(200);
    if (woken.status !== 200) return;
    expect(Number(woken.headers.get('X-Nomad-Index'))).toBe(stopped.Index);
    expect(woken.body[0]).toMatchObject({ ClientStatus: 'running' });
    expect(woken.body[0]!.DesiredTransition.Migrate).toBe(true);
  });

  test('reports record the client status and task states; a failed allocation gets an alloc-failure evaluation', async () => {
    const alloc = await place(node.ID);
    const running = await agent.updateAllocations({
      params: { nodeID: node.ID },
      // Nomad's AllocUpdateRequest key, as an agent may send it.
      body: {
        Alloc: [
          {
            ID: alloc.ID,
            NodeID: node.ID,
            ClientStatus: 'running',
            ClientDescription: 'Tasks are running',
            TaskStates: { web: { State: 'running', StartedAt: new Date().toISOString() } },
          },
        ],
      },
    });
    expect(running.status).toBe(200);
    expect(running.body).toEqual({ Index: server.store.allocByID(alloc.ID)!.ModifyIndex });
    const { data: read } = await server.client.allocations.info(alloc.ID);
    expect(read).toMatchObject({ ClientStatus: 'running', ClientDescription: 'Tasks are running' });
    expect(read.TaskStates?.web?.State).toBe('running');

    const failed = await agent.updateAllocations({
      params: { nodeID: node.ID },
      body: { Allocs: [{ ID: alloc.ID, ClientStatus: 'failed' }] },
    });
    expect(failed.status).toBe(200);
    const evals = server.store.evalsByJob(job.Namespace, job.ID);
    expect(evals.map((e) => [e.TriggeredBy, e.Status])).toEqual([['alloc-failure', 'pending']]);
    // Task states left out of a report are kept.
    expect(server.store.allocByID(alloc.ID)?.TaskStates?.web?.State).toBe('running');
  });

  test('an empty report is a 400', async () => {
    const res = await agent.updateAllocations({
      params: { nodeID: node.ID },
      body: { Allocs: [] },
    });
    expect([res.status, res.body]).toEqual([
      400,
      'Failed to decode body: Allocs: must update at least one allocation',
    ]);
  });
});
