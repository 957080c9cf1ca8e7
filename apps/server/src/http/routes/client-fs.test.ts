// The file routes on a server: the contract's answer shapes carry exactly Nomad's fields, what the
// server answers before and instead of the node's answer, and that a follow to a node out of reach
// ends at once. (Forwarding to a real agent is tested in the agent's logs e2e.)
import { AllocFileInfoSchema, StreamFrameSchema } from '@berth/contract';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { agentClient } from '../../nodes/testing/agent-client.js';
import { startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockNode } from '../../test-support/mock.js';
import { NOMAD_FIELDS } from '../../test-support/nomad-fields.js';
import { waitForState } from '../../test-support/wait-for-state.js';

test("the file schemas carry exactly the fields of Nomad's structs", () => {
  const schemas = { AllocFileInfo: AllocFileInfoSchema, StreamFrame: StreamFrameSchema } as const;
  for (const [struct, schema] of Object.entries(schemas)) {
    const fields = NOMAD_FIELDS[struct as keyof typeof schemas].fields;
    expect(Object.keys(schema.shape).sort(), struct).toEqual([...fields].sort());
  }
});

let server: TestServer;
let listener: http.Server | undefined;
beforeEach(async () => {
  server = await startTestServer({ scheduling: true, heartbeat: { ttlMs: 60_000 } });
});
afterEach(async () => {
  await server.close();
  listener?.closeAllConnections();
  await new Promise((resolve) => (listener ? listener.close(resolve) : resolve(undefined)));
  listener = undefined;
});

/** A loopback "agent" answering each request as `answer` says; its `host:port`. */
async function answering(
  answer: (url: URL) => { status: number; body: string; type: string },
): Promise<string> {
  listener = http.createServer((req, res) => {
    const { status, body, type } = answer(new URL(req.url ?? '/', 'http://agent'));
    res.writeHead(status, { 'Content-Type': type });
    res.end(body);
  });
  await new Promise<void>((resolve) => listener!.listen(0, '127.0.0.1', resolve));
  const bound = listener.address();
  if (bound === null || typeof bound !== 'object') throw new Error('no port');
  return `127.0.0.1:${bound.port}`;
}

/** A port nothing listens on. */
async function closedPort(): Promise<string> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const bound = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (bound === null || typeof bound !== 'object') throw new Error('no port');
  return `127.0.0.1:${bound.port}`;
}

/** A ready node at `httpAddr` running one allocation; its ID. */
async function allocOnNodeAt(httpAddr: string): Promise<string> {
  const node = { ...mockNode({ HTTPAddr: httpAddr }), SecretID: randomUUID() };
  const agent = agentClient(server.app, node.SecretID);
  expect((await agent.register({ body: node })).status).toBe(200);
  expect((await agent.heartbeat({ params: { nodeID: node.ID }, body: {} })).status).toBe(200);
  await server.client.jobs.register({
    ID: 'web',
    Datacenters: [node.Datacenter],
    TaskGroups: [
      {
        Name: 'web',
        Tasks: [{ Name: 'web', Driver: 'raw_exec', Config: { command: 'sleep' } }],
      },
    ],
  });
  await waitForState(server.store, () => server.store.allocsByJob('default', 'web').length > 0);
  return server.store.allocsByJob('default', 'web')[0]!.ID;
}

async function get(url: string) {
  const res = await server.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.body, type: res.headers['content-type'] };
}

test('a node out of reach is `No path to node`, a follow included, at once', async () => {
  const allocID = await allocOnNodeAt(await closedPort());
  const noPath = { status: 404, body: 'No path to node' };
  const started = Date.now();
  for (const url of [
    `/v1/client/fs/logs/${allocID}?task=web&type=stdout&follow=true`,
    `/v1/client/fs/stream/${allocID}?path=alloc/logs/web.stdout.0`,
    `/v1/client/fs/ls/${allocID}`,
    `/v1/client/fs/stat/${allocID}?path=alloc`,
    `/v1/client/fs/cat/${allocID}?path=alloc/x`,
    `/v1/client/fs/readat/${allocID}?path=alloc/x&offset=0`,
  ]) {
    expect(await get(url), url).toMatchObject(noPath);
  }
  expect(Date.now() - started).toBeLessThan(5_000);
});

test("the node's bytes are passed on with its content type; its refusal with its status", async () => {
  const allocID = await allocOnNodeAt(
    await answering((url) => {
      if (url.pathname.startsWith('/v1/client/fs/cat/')) {
        return { status: 200, body: 'hello\n', type: 'text/plain' };
      }
      if (url.searchParams.get('path') === '..') {
        return { status: 400, body: 'Path escapes the alloc directory', type: 'text/plain' };
      }
      return { status: 200, body: '{"not":"a listing"}', type: 'application/json' };
    }),
  );
  expect(await get(`/v1/client/fs/cat/${allocID}?path=alloc/x`)).toMatchObject({
    status: 200,
    body: 'hello\n',
    type: 'text/plain',
  });
  expect(await get(`/v1/client/fs/ls/${allocID}?path=..`)).toMatchObject({
    status: 400,
    body: 'Path escapes the alloc directory',
  });
  // A listing that is not the contract's is a 500, never passed on.
  expect((await get(`/v1/client/fs/ls/${allocID}`)).status).toBe(500);
});

test("bad queries and unknown allocations: Nomad's texts, before anything is forwarded", async () => {
  const ghost = randomUUID();
  expect(await get(`/v1/client/fs/logs/${ghost}?type=stdout`)).toMatchObject({
    status: 400,
    body: 'must provide task name',
  });
  expect(await get(`/v1/client/fs/logs/${ghost}?task=web&type=stdout&offset=x`)).toMatchObject({
    status: 400,
    body: 'error parsing offset: strconv.ParseInt: parsing "x": invalid syntax',
  });
  expect(await get(`/v1/client/fs/logs/${ghost}?task=web&type=stdout&follow=maybe`)).toMatchObject({
    status: 400,
    body: 'failed to parse follow field to boolean: strconv.ParseBool: parsing "maybe": invalid syntax',
  });
  expect(await get(`/v1/client/fs/stat/${ghost}`)).toMatchObject({
    status: 400,
    body: 'must provide a file name',
  });
  expect(await get(`/v1/client/fs/readat/${ghost}?path=x`)).toMatchObject({
    status: 400,
    body: 'error parsing offset: strconv.ParseInt: parsing "": invalid syntax',
  });
  expect(await get(`/v1/client/fs/stream/${ghost}?path=x&origin=middle`)).toMatchObject({
    status: 400,
    body: 'origin must be start or end',
  });
  expect(await get(`/v1/client/fs/ls/${ghost}`)).toMatchObject({
    status: 404,
    body: `Unknown allocation "${ghost}"`,
  });
});
