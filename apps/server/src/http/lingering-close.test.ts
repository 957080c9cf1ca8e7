// A request Node's parser refuses is answered before its remaining bytes are read; closing the
// socket with those bytes unread makes the kernel send a reset, and the client may lose the answer.
// The server closes lingering instead: it sends the answer, ends its side and discards what is
// still arriving, for a bounded time and amount, before it lets go of the socket.
import { connect, type AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/harness.js';

let server: TestServer;
let port: number;
beforeEach(async () => {
  server = await startTestServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  port = (server.app.server.address() as AddressInfo).port;
});
afterEach(() => server.close());

/** How a raw exchange ended: the bytes that arrived, and the socket error if there was one. */
interface Exchange {
  answer: string;
  error?: string;
}

/** Sends `request` in one write, half-closes, and collects everything until the socket closes. */
function exchange(request: Buffer): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let error: string | undefined;
    const timer = setTimeout(() => socket.destroy(new Error('no close in 10 s')), 10_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ answer: Buffer.concat(chunks).toString('latin1'), error });
    });
    socket.end(request);
  });
}

/** A malformed head followed by `trailing` bytes of body, as one buffer. */
function malformed(head: string, trailing: number): Buffer {
  return Buffer.concat([Buffer.from(head), Buffer.alloc(trailing, 'x')]);
}

const BODY_BYTES = 4 * 1024 * 1024;

describe('a request Node cannot parse, followed by more bytes', () => {
  test.each([
    [
      'an unknown method with a body',
      `FOO /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: ${BODY_BYTES}\r\n\r\n`,
      /^HTTP\/1\.1 400 Bad Request\r\n/,
    ],
    [
      'a request line longer than Node reads',
      `GET /v1/job/${'j'.repeat(60_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/,
    ],
  ])('%s gets its whole answer, never a reset', async (_name, head, statusLine) => {
    // Several at once: a reset loses the answer only when it overtakes it, so one alone may pass.
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => exchange(malformed(head, BODY_BYTES))),
    );
    for (const { answer, error } of outcomes) {
      expect(error).toBeUndefined();
      expect(answer).toMatch(statusLine);
      expect(answer).toMatch(/\r\nConnection: close\r\n/);
      const [headers = '', body = ''] = answer.split('\r\n\r\n');
      const length = /\r\nContent-Length: (\d+)\r\n/.exec(`${headers}\r\n`)?.[1];
      expect(Buffer.byteLength(body)).toBe(Number(length));
      expect(body).toMatch(/^(Bad Request|Request Header Fields Too Large): \S/);
    }
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function openConnections(): Promise<number> {
  return new Promise((resolve, reject) =>
    server.app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}

describe('the lingering close is bounded', () => {
  const head = 'FOO /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n';

  test('a client that neither sends more nor closes is let go', async () => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.write(head);
    // The server ends its side after the answer (the client sees it end), then lets go of the
    // socket when the time is up (the half-open client sees nothing: the server counts it).
    await new Promise((resolve) => socket.once('end', resolve));
    expect(Buffer.concat(chunks).toString()).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    while ((await openConnections()) > 0) await sleep(100);
    socket.destroy();
  });

  test('a client that never stops sending is let go', async () => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    socket.on('error', () => undefined);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    // The test's own bound: 64 MiB, then it waits without closing.
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    socket.write(head);
    const pump = () => {
      while (!socket.destroyed && sent < 64 * 1024 * 1024) {
        sent += chunk.length;
        if (!socket.write(chunk)) return socket.once('drain', pump);
      }
      return undefined;
    };
    pump();
    await closed;
    expect(socket.destroyed).toBe(true);
  });
});
