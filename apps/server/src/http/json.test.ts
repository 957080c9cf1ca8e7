// List bodies: one buffer with a Content-Length up to 1 MiB, a stream above it, with the same
// bytes as JSON.stringify of the list (indented by four spaces and ending with a newline for
// `?pretty`), compressed as a stream when asked, and never ended as if whole after a failure.
import { get, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { gunzipSync, inflateSync } from 'node:zlib';
import Fastify from 'fastify';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { seedAllocations } from '../../bench/fixtures.js';
import { aclDisabled } from '../acl/acl.js';
import { listAllocations } from '../endpoints/allocations/list.js';
import { noNodeConnections } from '../nodes/client-rpc.js';
import { startTestServer, type TestServer } from '../test-support/harness.js';
import { registerCompression } from './compression.js';
import { listBody, STREAM_ABOVE_BYTES } from './json.js';

async function bytesOf(body: Buffer | Readable): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Asserts bytes equal the expected text, reporting where they first differ (a diff of two
 * megabyte-long strings would take minutes).
 */
function expectBytes(actual: Buffer, expected: string): void {
  const want = Buffer.from(expected);
  const end = Math.min(actual.length, want.length);
  let at = 0;
  while (at < end && actual[at] === want[at]) at++;
  expect({ length: actual.length, at, text: actual.subarray(at, at + 80).toString() }).toEqual({
    length: want.length,
    at: want.length,
    text: '',
  });
}

const pretty = (value: unknown) => `${JSON.stringify(value, null, 4)}\n`;
// About 2 KiB of JSON each: 600 of them make a body past the streaming threshold.
const item = (i: number) => ({
  ID: `item-${i}`,
  Tags: ['a', 'b'],
  Meta: { note: 'x'.repeat(2000) },
});

describe('listBody', () => {
  test('any JSON list: the bytes of JSON.stringify, plain and indented', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 8 }), async (list) => {
        expectBytes(await bytesOf(await listBody(list, false)), JSON.stringify(list));
        expectBytes(await bytesOf(await listBody(list, true)), pretty(list));
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  test('a small list is one buffer, a large one a stream with the same bytes', async () => {
    const small = [item(0), item(1)];
    expect(Buffer.isBuffer(await listBody(small, false))).toBe(true);
    const large = Array.from({ length: 600 }, (_, i) => item(i));
    for (const indented of [false, true]) {
      const body = await listBody(large, indented);
      expect(body).toBeInstanceOf(Readable);
      const bytes = await bytesOf(body);
      expect(bytes.length).toBeGreaterThan(STREAM_ABOVE_BYTES);
      expectBytes(bytes, indented ? pretty(large) : JSON.stringify(large));
    }
  });

  test('an item that cannot be encoded past the first MiB fails the stream with the cause', async () => {
    const list: unknown[] = Array.from({ length: 600 }, (_, i) => item(i));
    list.push({ ID: 'bad', Size: 1n });
    const body = await listBody(list, false);
    await expect(bytesOf(body)).rejects.toThrow(/encoding a list body: TypeError.*BigInt/);
  });
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A GET over a real socket, the body as sent (not decompressed). */
function fetchRaw(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('response aborted')));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    }).on('error', reject);
  });
}

describe('GET /v1/allocations over a port', () => {
  let server: TestServer;
  let base: string;
  beforeEach(async () => {
    server = await startTestServer();
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  });
  afterEach(() => server.close());

  /** The list as the endpoint builds it, serialised whole: the bytes every answer must match. */
  async function expectedList() {
    const ctx = { store: server.store, acl: aclDisabled, clientRpc: noNodeConnections };
    const result = await listAllocations(ctx, {
      token: '',
      namespace: 'default',
      prefix: '',
      filter: '',
      perPage: 0,
      nextToken: '',
      reverse: false,
      fields: { resources: false, taskStates: true },
      blocking: { minIndex: 0 },
    });
    return { stubs: result.stubs, index: String(result.index) };
  }

  test.each([
    ['small (one buffer)', 3],
    ['large (streamed)', 150],
  ])('%s: same bytes plain, gzip, deflate and pretty, with the X-Nomad headers', async (_, n) => {
    await seedAllocations(server.store, n);
    const { stubs, index } = await expectedList();
    const json = JSON.stringify(stubs);
    const streamed = json.length > STREAM_ABOVE_BYTES;
    expect(streamed).toBe(n > 100);

    const plain = await fetchRaw(`${base}/v1/allocations`);
    expect(plain.status).toBe(200);
    expectBytes(plain.body, json);
    expect(plain.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(plain.headers['x-nomad-index']).toBe(index);
    expect(plain.headers['x-nomad-knownleader']).toBe('true');
    expect(plain.headers.vary).toBe('Accept-Encoding');
    if (streamed) expect(plain.headers['transfer-encoding']).toBe('chunked');
    else expect(plain.headers['content-length']).toBe(String(plain.body.length));

    const gz = await fetchRaw(`${base}/v1/allocations`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['x-nomad-index']).toBe(index);
    expectBytes(gunzipSync(gz.body), json);

    const deflated = await fetchRaw(`${base}/v1/allocations`, { 'accept-encoding': 'deflate' });
    expect(deflated.headers['content-encoding']).toBe('deflate');
    expectBytes(inflateSync(deflated.body), json);

    const indented = await fetchRaw(`${base}/v1/allocations?pretty`);
    expect(indented.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(indented.headers['x-nomad-index']).toBe(index);
    expectBytes(indented.body, pretty(stubs));
  });

  test('a blocking list answers a large body once a write passes its index', async () => {
    await seedAllocations(server.store, 150);
    const { index } = await expectedList();
    const pending = fetchRaw(`${base}/v1/allocations?index=${index}&wait=10s`);
    setTimeout(() => void seedAllocations(server.store, 1), 50);
    const answer = await pending;
    const after = await expectedList();
    expect(Number(answer.headers['x-nomad-index'])).toBeGreaterThan(Number(index));
    expectBytes(answer.body, JSON.stringify(after.stubs));
  });
});

describe('a list body that fails mid-stream', () => {
  test.each([[{}], [{ 'accept-encoding': 'gzip' }]])(
    'is cut off and logged, never ended as if whole (%o)',
    async (headers) => {
      const logged: string[] = [];
      const app = Fastify({
        logger: {
          level: 'warn',
          stream: { write: (line: string) => void logged.push(line) },
        },
      });
      registerCompression(app);
      const list: unknown[] = Array.from({ length: 600 }, (_, i) => item(i));
      list.push({ ID: 'bad', Size: 1n });
      app.get('/list', async (_request, reply) => {
        reply.type('application/json; charset=utf-8');
        return reply.send(await listBody(list, false));
      });
      await app.listen({ host: '127.0.0.1', port: 0 });
      try {
        const port = (app.server.address() as AddressInfo).port;
        await expect(fetchRaw(`http://127.0.0.1:${port}/list`, headers)).rejects.toThrow();
        expect(logged.join('')).toMatch(/encoding a list body/);
      } finally {
        await app.close();
      }
    },
  );
});
