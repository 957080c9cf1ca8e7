// Signal and restart: everything the server checks before the call reaches a node agent, and the
// call it hands to the agent's connection.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ClientRpc, RestartRequest, SignalRequest } from '../../nodes/client-rpc.js';
import { startTestServer, seed, type TestServer } from '../../test-support/harness.js';
import { mockAlloc, mockNode } from '../../test-support/mock.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const post = (path: string, payload?: string, method: 'POST' | 'PUT' | 'GET' = 'POST') =>
  server.inject({
    method,
    url: path,
    payload,
    headers: payload === undefined ? {} : { 'content-type': 'application/json' },
  });

async function placed(overrides: Parameters<typeof mockAlloc>[0] = {}) {
  const node = mockNode();
  const alloc = mockAlloc({ NodeID: node.ID, ...overrides });
  await seed(server.store, { nodes: [node], allocs: [alloc] });
  return { node, alloc };
}

for (const action of ['signal', 'restart'] as const) {
  describe(`/v1/client/allocation/:id/${action}`, () => {
    const url = (id: string) => `/v1/client/allocation/${id}/${action}`;

    test('an unknown allocation is a 404', async () => {
      const id = 'a8198d79-cfdb-6593-a999-1e9adabcba2e';
      const res = await post(url(id), '{}');
      expect(res.statusCode).toBe(404);
      expect(res.body).toBe(`Unknown allocation "${id}"`);
    });

    test('a malformed ID is a 400', async () => {
      const res = await post(url('xyz'), '{}');
      expect(res.statusCode).toBe(400);
      expect(res.body).toBe('alloc lookup failed: index error: UUID must be 36 characters');
    });

    test('an allocation whose node is unknown is a 404', async () => {
      const alloc = mockAlloc();
      await seed(server.store, { allocs: [alloc] });
      const res = await post(url(alloc.ID), '{}');
      expect(res.statusCode).toBe(404);
      expect(res.body).toBe(`Unknown node ${alloc.NodeID}`);
    });

    test('with no node agent reachable it answers as Nomad does: No path to node', async () => {
      const { alloc } = await placed();
      const res = await post(url(alloc.ID), '{}');
      expect(res.statusCode).toBe(404);
      expect(res.body).toBe('No path to node');
    });

    test('broken JSON is a 400 and nothing is done', async () => {
      const { alloc } = await placed();
      const res = await post(url(alloc.ID), '{"Task": ');
      expect(res.statusCode).toBe(400);
      expect(res.body).toBe('Failed to decode body: unexpected EOF');
      const bad = await post(url(alloc.ID), 'x');
      expect(bad.body).toBe(
        "Failed to decode body: invalid character 'x' looking for beginning of value",
      );
    });

    test('a bad query string is a 400 and nothing is done', async () => {
      const { alloc } = await placed();
      const res = await post(`${url(alloc.ID)}?index=abc`, '{}');
      expect(res.statusCode).toBe(400);
      expect(res.body).toBe('Invalid index');
    });

    test('methods other than POST and PUT are a 405', async () => {
      const { alloc } = await placed();
      for (const method of ['GET', 'DELETE', 'PATCH', 'OPTIONS'] as const) {
        const res = await server.inject({ method, url: url(alloc.ID) });
        expect(res.statusCode, method).toBe(405);
        expect(res.body).toBe('Invalid method');
      }
    });

    test('a CORS preflight is answered without reaching the handler', async () => {
      const { alloc } = await placed();
      const res = await server.inject({
        method: 'OPTIONS',
        url: url(alloc.ID),
        headers: { origin: 'http://ui.test', 'access-control-request-method': 'GET' },
      });
      expect(res.statusCode).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-allow-methods']).toBe('GET');
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      const postPreflight = await server.inject({
        method: 'OPTIONS',
        url: url(alloc.ID),
        headers: { origin: 'http://ui.test', 'access-control-request-method': 'POST' },
      });
      expect(postPreflight.statusCode).toBe(204);
      expect(postPreflight.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
}

describe('signal', () => {
  test('a request without a body is a 400', async () => {
    const { alloc } = await placed();
    const none = await server.inject({
      method: 'POST',
      url: `/v1/client/allocation/${alloc.ID}/signal`,
    });
    expect(none.statusCode).toBe(400);
    expect(none.body).toBe('Failed to decode body: Request body is empty');
    const blank = await post(`/v1/client/allocation/${alloc.ID}/signal`, '  \n');
    expect(blank.body).toBe('Failed to decode body: EOF');
  });

  test('a field of the wrong type is a 400 in Go words', async () => {
    const { alloc } = await placed();
    const res = await post(`/v1/client/allocation/${alloc.ID}/signal`, '{"Signal": 5}');
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe(
      'Failed to decode body: json: cannot unmarshal number into Go struct field AllocSignalRequest.Signal of type string',
    );
  });

  test('a task the allocation does not have is a 404', async () => {
    const { alloc } = await placed();
    const res = await post(
      `/v1/client/allocation/${alloc.ID}/signal`,
      '{"Signal":"SIGUSR1","Task":"nope"}',
    );
    expect(res.statusCode).toBe(404);
    expect(res.body).toBe('Task not found');
  });
});

describe('restart', () => {
  test('TaskName with AllTasks is a 400', async () => {
    const { alloc } = await placed();
    const res = await post(
      `/v1/client/allocation/${alloc.ID}/restart`,
      '{"TaskName":"web","AllTasks":true}',
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe('task name cannot be set when restarting all tasks');
  });

  test('an unknown task is a 404', async () => {
    const { alloc } = await placed();
    const res = await post(`/v1/client/allocation/${alloc.ID}/restart`, '{"TaskName":"nope"}');
    expect(res.statusCode).toBe(404);
    expect(res.body).toBe('Could not find task runner for task: nope');
  });

  test('an allocation that should not run is a 409', async () => {
    const { alloc } = await placed({ ClientStatus: 'complete' });
    const res = await post(`/v1/client/allocation/${alloc.ID}/restart`);
    expect(res.statusCode).toBe(409);
    expect(res.body).toBe('restart of an alloc that should not run');
  });
});

describe('forwarding to the node agent', () => {
  const calls: (SignalRequest | RestartRequest)[] = [];
  const recording: ClientRpc = {
    signal: (_node, request) => Promise.resolve(void calls.push(request)),
    restart: (_node, request) => Promise.resolve(void calls.push(request)),
  };

  beforeEach(async () => {
    calls.length = 0;
    await server.close();
    server = await startTestServer({ clientRpc: recording });
  });

  test('signal reaches the agent with the task and signal, and answers {}', async () => {
    const { alloc } = await placed();
    const { data } = await server.client.allocations.signal(alloc.ID, {
      Signal: 'SIGUSR1',
      Task: 'web',
    });
    expect(data).toEqual({});
    expect(calls).toEqual([expect.objectContaining({ task: 'web', signal: 'SIGUSR1' })]);
  });

  test('field names are matched without regard to case, as Go does', async () => {
    const { alloc } = await placed();
    const res = await post(
      `/v1/client/allocation/${alloc.ID}/signal`,
      '{"signal":"SIGHUP","TASK":"web"}',
      'PUT',
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('{}');
    expect(calls).toEqual([expect.objectContaining({ task: 'web', signal: 'SIGHUP' })]);
  });

  test('restart with no body restarts the running tasks', async () => {
    const { alloc } = await placed();
    const res = await post(`/v1/client/allocation/${alloc.ID}/restart`);
    expect(res.statusCode).toBe(200);
    expect(calls).toEqual([expect.objectContaining({ taskName: '', allTasks: false })]);
    await server.client.allocations.restart(alloc.ID, { AllTasks: true });
    expect(calls[1]).toMatchObject({ taskName: '', allTasks: true });
  });
});
