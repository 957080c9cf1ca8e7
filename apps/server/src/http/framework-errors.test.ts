// The framework's own refusals (bad URL, path parameter too long, body too large, bad content
// type, unreadable request) answer the spec's status with a text/plain message, and any ID that can
// be stored can be read and deleted through its path.
import { multiError } from '@berth/contract';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/harness.js';
import { MAX_PARAM_LENGTH } from './framework-errors.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const TEXT = 'text/plain; charset=utf-8';
const UUID_LENGTH_ERROR = 'alloc lookup failed: index error: UUID must be 36 characters';

const jobBody = (id: string) =>
  JSON.stringify({
    Job: {
      ID: id,
      Type: 'batch',
      TaskGroups: [{ Name: 'web', Tasks: [{ Name: 'web', Driver: 'raw_exec' }] }],
    },
  });

async function register(id: string): Promise<void> {
  const res = await server.inject({ method: 'PUT', url: '/v1/jobs', payload: jobBody(id) });
  expect(res.statusCode).toBe(200);
}

describe('IDs of any stored length answer through their paths', () => {
  test('a job whose ID is longer than 100 characters is read, listed and deleted', async () => {
    const id = 'j'.repeat(150);
    await register(id);
    const read = await server.inject({ method: 'GET', url: `/v1/job/${id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json<{ ID: string }>().ID).toBe(id);
    for (const sub of ['allocations', 'evaluations']) {
      const res = await server.inject({ method: 'GET', url: `/v1/job/${id}/${sub}` });
      expect(res.statusCode).toBe(200);
    }
    const stop = await server.inject({ method: 'DELETE', url: `/v1/job/${id}` });
    expect(stop.statusCode).toBe(200);
    expect(server.store.jobByID('default', id)?.Stop).toBe(true);
    const purge = await server.inject({ method: 'DELETE', url: `/v1/job/${id}?purge=true` });
    expect(purge.statusCode).toBe(200);
    expect(server.store.jobByID('default', id)).toBeUndefined();
  });

  test.each([
    ['GET', 'allocation/ID'],
    ['POST', 'allocation/ID/stop'],
    ['POST', 'client/allocation/ID/signal'],
    ['POST', 'client/allocation/ID/restart'],
  ])('%s /v1/%s with a 101-character ID is the spec’s 400, not a 414', async (method, path) => {
    const url = `/v1/${path.replace('ID', 'a'.repeat(101))}`;
    const res = await server.inject({
      method,
      url,
      payload: method === 'POST' ? '{"Signal":"SIGHUP"}' : undefined,
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe(TEXT);
    expect(res.body).toBe(UUID_LENGTH_ERROR);
  });

  test('a parameter longer than any request line can carry is a text 414', async () => {
    const res = await server.inject({
      method: 'GET',
      url: `/v1/allocation/${'a'.repeat(MAX_PARAM_LENGTH + 1)}`,
    });
    expect(res.statusCode).toBe(414);
    expect(res.headers['content-type']).toBe(TEXT);
    expect(res.body).toBe(
      `URI Too Long: a path segment is longer than ${MAX_PARAM_LENGTH} characters`,
    );
  });
});

describe('bad percent-encoding', () => {
  test.each([
    ['/v1/allocation/%zz', 'invalid URL escape "%zz"'],
    ['/v1/job/%E0%A4%A', 'invalid URL escape "%A"'],
    [
      '/v1/job/%E0%A4/allocations',
      'invalid URL escape: the percent-encoded bytes of the path are not UTF-8',
    ],
    ['/v1/jobs%', 'invalid URL escape "%"'],
    ['/v1/nope/%zz?x=1', 'invalid URL escape "%zz"'],
  ])('%s is a text 400', async (url, message) => {
    const res = await server.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe(TEXT);
    expect(res.body).toBe(message);
  });

  test('a write to a badly encoded path changes nothing', async () => {
    const before = server.store.latestIndex();
    const res = await server.inject({ method: 'DELETE', url: '/v1/job/%zz' });
    expect(res.statusCode).toBe(400);
    expect(server.store.latestIndex()).toBe(before);
  });

  test('an encoded slash, percent or space is part of the ID', async () => {
    for (const id of ['parent/periodic-1', '100%', 'a b']) {
      const res = await server.inject({
        method: 'GET',
        url: `/v1/job/${encodeURIComponent(id)}`,
      });
      expect(`${id}: ${res.statusCode} ${res.body}`).toBe(`${id}: 404 job not found`);
    }
  });
});

describe('bodies', () => {
  test('a body over the limit is a text 413 and registers nothing', async () => {
    const limit = server.app.initialConfig.bodyLimit ?? 0;
    const res = await server.inject({
      method: 'PUT',
      url: '/v1/jobs',
      headers: { 'content-type': 'application/json' },
      payload: jobBody('x'.repeat(limit)),
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toBe(TEXT);
    expect(res.body).toBe(`Request body is too large: the limit is ${limit} bytes`);
    expect(server.store.jobs('default')).toEqual([]);
  });

  test.each(['foo', ';', 'application/'])(
    'Content-Type %j that is not a media type is a text 415',
    async (type) => {
      const res = await server.inject({
        method: 'PUT',
        url: '/v1/jobs',
        headers: { 'content-type': type },
        payload: jobBody('web'),
      });
      expect(res.statusCode).toBe(415);
      expect(res.headers['content-type']).toBe(TEXT);
      expect(res.body).toBe(`Unsupported Media Type: Content-Type "${type}" is not a media type`);
      expect(server.store.jobs('default')).toEqual([]);
    },
  );

  test('any well-formed content type is read as JSON, as Nomad ignores it', async () => {
    const res = await server.inject({
      method: 'PUT',
      url: '/v1/jobs',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: jobBody('web'),
    });
    expect(res.statusCode).toBe(200);
  });

  test('a body shorter than its Content-Length is a text 400', async () => {
    const res = await server.inject({
      method: 'PUT',
      url: '/v1/jobs',
      headers: { 'content-type': 'application/json', 'content-length': '5' },
      payload: '{}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe(TEXT);
    expect(res.body).toBe('Request body size did not match Content-Length "5"');
  });
});

/** A raw HTTP exchange on a socket: the bytes are sent exactly as given. */
interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function raw(port: number, request: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error('no answer in 5 s')), 5000);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: text.slice(split + 4) });
    });
    socket.end(request);
  });
}

describe('on a real port, with raw requests', () => {
  let port: number;
  beforeEach(async () => {
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    port = (server.app.server.address() as AddressInfo).port;
  });

  const get = (path: string, method = 'GET') =>
    raw(port, `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);

  test('bad percent-encoding is a text 400', async () => {
    for (const [path, message] of [
      ['/v1/allocation/%zz', 'invalid URL escape "%zz"'],
      ['/v1/job/%E0%A4%A', 'invalid URL escape "%A"'],
    ] as const) {
      const res = await get(path);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe(TEXT);
      expect(res.body).toBe(message);
    }
  });

  test('a 101-character allocation ID is the spec’s 400', async () => {
    const res = await get(`/v1/allocation/${'a'.repeat(101)}`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe(TEXT);
    expect(res.body).toBe(UUID_LENGTH_ERROR);
  });

  test('jobs with long IDs, percent-encoded at the worst case, are read and deleted', async () => {
    // 2,048 bytes of UTF-8, each byte percent-encoded: a 6,144-character path segment.
    const worst = `${'€'.repeat(682)}é`;
    expect(Buffer.byteLength(worst)).toBe(2048);
    for (const id of ['j'.repeat(150), 'parent/€', worst]) {
      await register(id);
      const path = `/v1/job/${encodeURIComponent(id)}`;
      const read = await get(path);
      expect(read.status).toBe(200);
      expect((JSON.parse(read.body) as { ID: string }).ID).toBe(id);
      expect((await get(`${path}/allocations`)).status).toBe(200);
      const stop = await get(`${path}?purge=true`, 'DELETE');
      expect(stop.status).toBe(200);
      expect(server.store.jobByID('default', id)).toBeUndefined();
    }
  });

  test('a job ID over 2,048 bytes is refused at registration, so none is stored out of reach', async () => {
    const id = `${'€'.repeat(682)}éj`;
    expect(Buffer.byteLength(id)).toBe(2049);
    const before = server.store.latestIndex();
    const body = jobBody(id);
    const res = await raw(
      port,
      `PUT /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe(TEXT);
    expect(res.body).toBe(multiError(['Job ID must be at most 2048 bytes; got 2049']));
    expect(server.store.latestIndex()).toBe(before);
    expect(server.store.jobByID('default', id)).toBeUndefined();
    expect((await get(`/v1/job/${encodeURIComponent(id)}`)).status).toBe(404);
  });

  test('a request line and headers larger than Node reads are a text 431', async () => {
    const res = await get(`/v1/job/${'j'.repeat(20_000)}`);
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toBe(TEXT);
    expect(res.body).toMatch(
      /^Request Header Fields Too Large: the request line and headers exceed \d+ bytes$/,
    );
  });

  test.each([
    ['a header line without a colon', 'GET /v1/jobs HTTP/1.1\r\nHost: x\r\nbroken\r\n\r\n'],
    ['a method with a bad character', 'G@T /v1/jobs HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a space in the request target', 'GET /v1/job/a b HTTP/1.1\r\nHost: x\r\n\r\n'],
    [
      'two different Content-Lengths',
      'PUT /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
    ],
  ])('%s is a text 400', async (_name, request) => {
    const res = await raw(port, request);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe(TEXT);
    expect(res.body).toMatch(/^Bad Request: \S/);
  });

  test('a request target that is neither a path nor an http(s) URL is a text 400', async () => {
    const res = await get('ftp://127.0.0.1/v1/jobs');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe(TEXT);
    expect(res.body).toBe(
      'invalid request target "ftp://127.0.0.1/v1/jobs": expected a path or an http(s) URL',
    );
  });

  test('an absolute-form target is read for its path', async () => {
    expect((await get('http://127.0.0.1/v1/jobs')).status).toBe(200);
    const bad = await get('http://127.0.0.1/v1/job/%zz?x=%');
    expect(bad.status).toBe(400);
    expect(bad.body).toBe('invalid URL escape "%zz"');
  });

  test('a CONNECT is a text 405, not a dropped connection', async () => {
    const res = await raw(port, 'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n');
    expect(res.status).toBe(405);
    expect(res.headers['content-type']).toBe(TEXT);
    expect(res.body).toBe('Invalid method');
  });

  test('an Expect other than 100-continue is a text 417', async () => {
    const res = await raw(
      port,
      'PUT /v1/jobs HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\n{}',
    );
    expect(res.status).toBe(417);
    expect(res.headers['content-type']).toBe(TEXT);
    expect(res.body).toBe('Expectation Failed: only "100-continue" is understood, not "200-ok"');
    expect(server.store.jobs('default')).toEqual([]);
  });

  test('methods fastify does not route by default are a 405 on a known path', async () => {
    for (const method of ['PROPFIND', 'QUERY', 'TRACE', 'M-SEARCH']) {
      const res = await get('/v1/jobs', method);
      expect(`${method} ${res.status} ${res.body}`).toBe(`${method} 405 Invalid method`);
    }
    expect((await get('/v1/nope', 'PROPFIND')).status).toBe(404);
  });

  test('a QUERY without Content-Type on an unknown path is a text 400', async () => {
    const res = await get('/v1/nope', 'QUERY');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe(TEXT);
    expect(res.body).toBe("Method 'QUERY' must provide a 'Content-Type' header.");
  });
});

describe('a method a path does not take', () => {
  test('is a 405 before its body is read, however large', async () => {
    const res = await server.inject({
      method: 'PATCH',
      url: '/v1/jobs',
      payload: 'x'.repeat((server.app.initialConfig.bodyLimit ?? 0) + 1),
    });
    expect(res.statusCode).toBe(405);
    expect(res.body).toBe('Invalid method');
  });
});
