// Drive-by protection: writes from a page of another origin are refused and change nothing;
// requests without Origin, reads, and writes from the server's own or an allowed origin work.
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ClientRpc } from '../nodes/client-rpc.js';
import { seed, startTestServer, type TestServer } from '../test-support/harness.js';
import { mockAlloc, mockNode } from '../test-support/mock.js';
import { buildApp } from './app.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const FOREIGN = 'http://evil.example';
const HOST = '127.0.0.1:4646';

const jobBody = (id = 'web') =>
  JSON.stringify({
    Job: {
      ID: id,
      Type: 'batch',
      TaskGroups: [{ Name: 'web', Tasks: [{ Name: 'web', Driver: 'raw_exec' }] }],
    },
  });

/** The request a foreign page's `fetch(url, {method: 'POST', body})` sends: no preflight. */
function simpleWrite(origin: string | undefined, payload = jobBody()) {
  return server.inject({
    method: 'POST',
    url: '/v1/jobs',
    headers: {
      host: HOST,
      'content-type': 'text/plain;charset=UTF-8',
      ...(origin === undefined ? {} : { origin }),
    },
    payload,
  });
}

function expectRefused(res: {
  statusCode: number;
  body: string;
  headers: Record<string, unknown>;
}) {
  expect(res.statusCode).toBe(403);
  expect(res.body).toBe('Permission denied');
  expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
}

describe('a write from a foreign page', () => {
  test('POST /v1/jobs with text/plain is refused and registers nothing', async () => {
    const before = server.store.latestIndex();
    expectRefused(await simpleWrite(FOREIGN));
    expect(server.store.jobByID('default', 'web')).toBeUndefined();
    expect(server.store.latestIndex()).toBe(before);
  });

  test.each([
    'null',
    'file://',
    'http://127.0.0.1:4646.evil.example',
    'http://127.0.0.1:4647',
    'not a url',
  ])('Origin %s is foreign', async (origin) => {
    expectRefused(await simpleWrite(origin));
    expect(server.store.jobs('default')).toEqual([]);
  });

  test('every write route refuses it before its handler runs', async () => {
    const calls: string[] = [];
    const rpc: ClientRpc = {
      signal: () => {
        calls.push('signal');
        return Promise.resolve();
      },
      restart: () => {
        calls.push('restart');
        return Promise.resolve();
      },
    };
    await server.close();
    server = await startTestServer({ clientRpc: rpc });
    const node = mockNode();
    const alloc = mockAlloc({ NodeID: node.ID });
    await seed(server.store, { nodes: [node], allocs: [alloc] });
    await server.client.jobs.register({
      ID: 'web',
      Type: 'batch',
      TaskGroups: [{ Name: 'web', Tasks: [{ Name: 'web', Driver: 'raw_exec' }] }],
    });
    const before = server.store.latestIndex();
    const writes: [string, string, string?][] = [
      ['PUT', '/v1/jobs', jobBody('other')],
      ['POST', '/v1/job/web', jobBody()],
      ['DELETE', '/v1/job/web?purge=true'],
      ['POST', `/v1/allocation/${alloc.ID}/stop`],
      ['PUT', `/v1/client/allocation/${alloc.ID}/signal`, '{"Signal":"SIGKILL"}'],
      ['POST', `/v1/client/allocation/${alloc.ID}/restart`, '{}'],
      [
        'PUT',
        '/v1/node/register',
        JSON.stringify({ ...mockNode(), Status: 'ready', SecretID: randomUUID() }),
      ],
      ['PUT', `/v1/node/${node.ID}/heartbeat`, '{}'],
      ['POST', `/v1/node/${node.ID}/client-allocations`, '{"Allocs":[]}'],
      // A method no route takes is refused the same way, before its 404 or 405.
      ['PATCH', '/v1/jobs', '{}'],
      ['POST', '/v1/nope', '{}'],
    ];
    for (const [method, url, payload] of writes) {
      const res = await server.inject({
        method,
        url,
        headers: { host: HOST, origin: FOREIGN, 'content-type': 'text/plain' },
        payload,
      });
      expect(`${method} ${url} ${res.statusCode} ${res.body}`).toBe(
        `${method} ${url} 403 Permission denied`,
      );
    }
    expect(server.store.latestIndex()).toBe(before);
    expect(server.store.jobByID('default', 'web')?.Stop).toBe(false);
    expect(server.store.jobByID('default', 'other')).toBeUndefined();
    expect(server.store.allocByID(alloc.ID)?.DesiredTransition).toEqual(alloc.DesiredTransition);
    expect(calls).toEqual([]);
  });
});

describe('writes that are not drive-by', () => {
  test('without Origin (curl, Nomad clients, node agents) a write runs', async () => {
    expect((await simpleWrite(undefined)).statusCode).toBe(200);
    expect(server.store.jobByID('default', 'web')).toBeDefined();
  });

  test.each([
    ['the Host the client used, over http', HOST, 'http://127.0.0.1:4646'],
    ['the Host over https (TLS ended by a proxy)', HOST, 'https://127.0.0.1:4646'],
    ['a name, default port left out', 'berth.example.com', 'http://berth.example.com'],
    [
      'case and default port as a browser writes them',
      'Berth.Example.com:443',
      'https://berth.example.com',
    ],
    ['an IPv6 host', '[::1]:4646', 'http://[::1]:4646'],
  ])('from %s', async (_name, host, origin) => {
    const res = await server.inject({
      method: 'POST',
      url: '/v1/jobs',
      headers: { host, origin, 'content-type': 'text/plain' },
      payload: jobBody(),
    });
    expect(res.statusCode).toBe(200);
    expect(server.store.jobByID('default', 'web')).toBeDefined();
  });

  test('from an allowed origin, however it was configured', async () => {
    await server.close();
    server = await startTestServer({
      allowedOrigins: ['https://ui.example.com/', 'http://LOCALHOST:3000'],
    });
    for (const origin of ['https://ui.example.com', 'http://localhost:3000']) {
      const res = await server.inject({
        method: 'PUT',
        url: '/v1/jobs',
        headers: { host: HOST, origin },
        payload: jobBody(origin.includes('ui') ? 'a' : 'b'),
      });
      expect(res.statusCode).toBe(200);
    }
    expectRefused(
      await server.inject({
        method: 'PUT',
        url: '/v1/jobs',
        headers: { host: HOST, origin: 'https://ui.example.com:8443' },
        payload: jobBody('c'),
      }),
    );
    expect(server.store.jobs('default').map((j) => j.ID)).toEqual(['a', 'b']);
  });

  test('an allowed origin that is not scheme://host[:port] is a configuration error', async () => {
    for (const bad of ['ui.example.com', 'https://ui.example.com/app', 'ftp://x', 'null']) {
      await expect(buildApp({ store: server.store, allowedOrigins: [bad] })).rejects.toThrow(
        /^Invalid allowed origin ".*": expected scheme:\/\/host\[:port\]$/,
      );
    }
  });
});

describe('reads keep the CORS of the spec', () => {
  test('a read with a foreign Origin answers, with CORS headers only on the client subtree', async () => {
    const list = await server.inject({
      method: 'GET',
      url: '/v1/jobs',
      headers: { host: HOST, origin: FOREIGN },
    });
    expect(list.statusCode).toBe(200);
    expect(list.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('a preflight on the client subtree still answers 204, as section 1.9 says', async () => {
    const id = randomUUID();
    const get = await server.inject({
      method: 'OPTIONS',
      url: `/v1/client/allocation/${id}/restart`,
      headers: { host: HOST, origin: FOREIGN, 'access-control-request-method': 'GET' },
    });
    expect(get.statusCode).toBe(204);
    expect(get.headers['access-control-allow-origin']).toBe('*');
    const post = await server.inject({
      method: 'OPTIONS',
      url: `/v1/client/allocation/${id}/signal`,
      headers: { host: HOST, origin: FOREIGN, 'access-control-request-method': 'POST' },
    });
    expect(post.statusCode).toBe(204);
    expect(post.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('on a real port', () => {
  function send(
    port: number,
    headers: Record<string, string>,
  ): Promise<{ status: number; type: string | undefined; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, method: 'POST', path: '/v1/jobs', headers, timeout: 5000 },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }),
          );
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer in 5 s')));
      req.on('error', reject);
      req.end(jobBody());
    });
  }

  test('the listening address is own even behind another Host; a foreign page is refused', async () => {
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = server.app.server.address() as AddressInfo;
    const foreign = await send(port, { origin: FOREIGN, 'content-type': 'text/plain' });
    expect(foreign).toEqual({
      status: 403,
      type: 'text/plain; charset=utf-8',
      body: 'Permission denied',
    });
    expect(server.store.jobs('default')).toEqual([]);
    const own = await send(port, {
      host: 'berth.internal:80',
      origin: `http://127.0.0.1:${port}`,
      'content-type': 'text/plain',
    });
    expect(own.status).toBe(200);
    expect(server.store.jobByID('default', 'web')).toBeDefined();
  });
});
