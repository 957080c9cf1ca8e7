// Signal and restart forwarded by a real server app to a stand-in agent on a loopback port: what
// reaches the agent, and the agent's answers passed through to the caller.
import { BerthApiError } from '@berth/client';
import { multiError, type Allocation, type Node, type NodeRegistration } from '@berth/contract';
import Fastify, { type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { seed, startTestServer, type TestServer } from '../test-support/harness.js';
import { mockAlloc, mockJob, mockNode } from '../test-support/mock.js';
import { EndpointError } from '../endpoints/endpoint-error.js';
import { httpClientRpc } from './http-client-rpc.js';

interface Received {
  method: string;
  url: string;
  token: string | undefined;
  body: unknown;
}

let agent: FastifyInstance;
let agentAddr: string;
let received: Received[];
/** What the stand-in answers next. */
let answer: { status: number; text?: string; json?: string; hang?: boolean };
let server: TestServer;
/** What the forwarding logged. */
let logged: { message: string; cause: Error }[];
const extra: { close(): unknown }[] = [];

beforeEach(async () => {
  received = [];
  answer = { status: 200 };
  agent = Fastify();
  agent.post('/v1/client/allocation/:allocID/:action', async (request, reply) => {
    received.push({
      method: request.method,
      url: request.url,
      token: request.headers['x-nomad-token'] as string | undefined,
      body: request.body,
    });
    if (answer.hang) return new Promise(() => undefined);
    if (answer.json !== undefined) {
      return reply.code(answer.status).type('application/json').send(answer.json);
    }
    if (answer.status === 200) return reply.send({});
    return reply
      .code(answer.status)
      .type('text/plain; charset=utf-8')
      .send(answer.text ?? '');
  });
  await agent.listen({ host: '127.0.0.1', port: 0 });
  const bound = agent.server.address();
  agentAddr = `127.0.0.1:${typeof bound === 'object' && bound ? bound.port : 0}`;
  logged = [];
  server = await startTestServer({
    clientRpc: httpClientRpc({
      timeoutMs: 300,
      log: (message, cause) => logged.push({ message, cause }),
    }),
  });
});

afterEach(async () => {
  await server.close();
  // A hanging request would hold the stand-in open: drop its connections.
  agent.server.closeAllConnections();
  await agent.close();
  for (const e of extra.splice(0)) await e.close();
});

async function placed(node: Partial<NodeRegistration> = {}): Promise<{
  alloc: Allocation;
  node: NodeRegistration;
}> {
  const n: NodeRegistration = {
    ...mockNode(),
    Status: 'ready',
    SecretID: randomUUID(),
    HTTPAddr: agentAddr,
    ...node,
  };
  const job = mockJob();
  const alloc = mockAlloc({ Job: job, NodeID: n.ID, ClientStatus: 'running' });
  await seed(server.store, { jobs: [job], nodes: [n], allocs: [alloc] });
  return { alloc, node: n };
}

async function failure(promise: Promise<unknown>): Promise<[number, string]> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BerthApiError);
  return [(err as BerthApiError).status, (err as BerthApiError).message];
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<string> {
  const probe: Server = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => probe.close(resolve));
  return `127.0.0.1:${port}`;
}

describe('forwarding to the agent', () => {
  test('signal and restart reach the node’s agent with its secret and the request, and answer {}', async () => {
    const { alloc, node } = await placed();
    const { data } = await server.client.allocations.signal(alloc.ID, {
      Signal: 'SIGUSR1',
      Task: 'web',
    });
    expect(data).toEqual({});
    await server.client.allocations.restart(alloc.ID, { AllTasks: true });
    expect(received).toEqual([
      {
        method: 'POST',
        url: `/v1/client/allocation/${alloc.ID}/signal`,
        token: node.SecretID,
        body: { Task: 'web', Signal: 'SIGUSR1' },
      },
      {
        method: 'POST',
        url: `/v1/client/allocation/${alloc.ID}/restart`,
        token: node.SecretID,
        body: { TaskName: '', AllTasks: true },
      },
    ]);
  });

  test('an HTTPAddr given as a URL works too', async () => {
    const { alloc } = await placed({ HTTPAddr: `http://${agentAddr}` });
    await server.client.allocations.signal(alloc.ID, { Signal: 'SIGHUP' });
    expect(received).toHaveLength(1);
  });

  test('the agent’s status and text are passed through as they are', async () => {
    const { alloc } = await placed();
    answer = { status: 409, text: 'Task not running' };
    expect(
      await failure(server.client.allocations.signal(alloc.ID, { Signal: 'SIGHUP', Task: 'web' })),
    ).toEqual([409, 'Task not running']);
    answer = { status: 400, text: 'unknown signal "SIGNOPE"' };
    expect(
      await failure(server.client.allocations.signal(alloc.ID, { Signal: 'SIGNOPE' })),
    ).toEqual([400, 'unknown signal "SIGNOPE"']);
    const many = multiError([
      'failed to restart task web: boom',
      'failed to restart task db: bang',
    ]);
    answer = { status: 500, text: many };
    expect(await failure(server.client.allocations.restart(alloc.ID, {}))).toEqual([500, many]);
    // A status outside berth's error set still fails, as a 500 with the agent's text.
    answer = { status: 503, text: 'busy' };
    expect(await failure(server.client.allocations.restart(alloc.ID, {}))).toEqual([500, 'busy']);
  });
});

describe('the agent’s success answer', () => {
  test('is checked against the route’s schema: Nomad’s {"Index":0} is fine, anything else a 500', async () => {
    const { alloc, node } = await placed();
    answer = { status: 200, json: '{"Index":0}' };
    await server.client.allocations.signal(alloc.ID, { Signal: 'SIGHUP' });
    answer = { status: 200, json: '{"Index":"zero"}' };
    const [status, text] = await failure(server.client.allocations.restart(alloc.ID, {}));
    expect(status).toBe(500);
    expect(text).toMatch(
      new RegExp(
        `^node ${node.ID} answered restart of allocation ${alloc.ID}: an answer that is not the contract's`,
      ),
    );
    answer = { status: 200, json: '{"Index":' };
    expect((await failure(server.client.allocations.restart(alloc.ID, {})))[0]).toBe(500);
    expect(received).toHaveLength(3);
  });
});

describe('no path to the node', () => {
  test('a down node is not tried', async () => {
    const { alloc } = await placed({ Status: 'down' });
    expect(await failure(server.client.allocations.signal(alloc.ID, { Signal: 'SIGHUP' }))).toEqual(
      [404, 'No path to node'],
    );
    expect(received).toEqual([]);
  });

  test('a refused connection, a node without an address, or an agent that does not answer in time', async () => {
    const refused = await placed({ HTTPAddr: await closedPort() });
    const noAddr = await placed({ HTTPAddr: '' });
    const silent = await placed();
    answer = { status: 200, hang: true };
    for (const { alloc } of [refused, noAddr, silent]) {
      expect(await failure(server.client.allocations.restart(alloc.ID, {}))).toEqual([
        404,
        'No path to node',
      ]);
    }
    expect(received).toHaveLength(1);
  });

  test('why the agent could not be reached is logged with the node and its address, and kept as the cause', async () => {
    const addr = await closedPort();
    const { alloc, node } = await placed({ HTTPAddr: addr });
    expect(await failure(server.client.allocations.signal(alloc.ID, { Signal: 'SIGHUP' }))).toEqual(
      [404, 'No path to node'],
    );
    expect(logged).toHaveLength(1);
    expect(logged[0]!.message).toBe(
      `forwarding signal of allocation ${alloc.ID} to node ${node.ID} at ${addr} failed: ` +
        logged[0]!.cause.message,
    );
    expect(logged[0]!.cause).toMatchObject({ code: 'ECONNREFUSED' });

    // The caller of the forwarding gets the same cause on the spec's error.
    const rpc = httpClientRpc({ log: () => undefined });
    const err = await rpc.restart(node as Node, { alloc, taskName: '', allTasks: false }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EndpointError);
    expect((err as EndpointError).status).toBe(404);
    expect((err as EndpointError).message).toBe('No path to node');
    expect((err as EndpointError).cause).toMatchObject({ code: 'ECONNREFUSED' });

    // A timeout is a cause too.
    const silent = await placed();
    answer = { status: 200, hang: true };
    await failure(server.client.allocations.restart(silent.alloc.ID, {}));
    expect(logged[1]!.message).toContain(`to node ${silent.node.ID} at ${agentAddr} failed`);
    expect(logged[1]!.cause.message).toBe('no answer within 300 ms');
  });
});
