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

describe('an answer given before its body is read', () => {
  // The fuzz's one reset: a PUT whose body is over the limit is answered 413 as soon as its head
  // arrives, with Connection: close, while the client is still sending the body. Node destroyed
  // the socket once the answer was written, and the client's next write got EPIPE.
  test('a keep-alive client still sending the refused body gets no reset', async () => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const chunks: Buffer[] = [];
    let error: string | undefined;
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    const ended = new Promise((resolve) => socket.once('end', resolve));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    // A 400 first, on the same connection, as the fuzz saw it.
    socket.write(
      'GET /v1/evaluation/00000000-0000-4000-8004-00000000000?stale=-2147483649 HTTP/1.1\r\n' +
        'Host: x\r\nContent-Length: 2\r\n\r\n{}',
    );
    const bodyBytes = 2 * 1024 * 1024;
    const part = Buffer.alloc(64 * 1024, 'x');
    socket.write(
      'PUT /v1/allocation/00000000-0000-4000-8003-000000000004/stop HTTP/1.1\r\n' +
        `Host: x\r\nContent-Length: ${bodyBytes}\r\n\r\n`,
    );
    socket.write(part);
    // The server has answered both and ended its side; the client sends the rest of the body,
    // as a client writing a large body does, then ends its own side.
    await ended;
    for (let sent = part.length; sent < bodyBytes; sent += part.length) socket.write(part);
    socket.end();
    await closed;

    expect(error).toBeUndefined();
    const answers = Buffer.concat(chunks).toString('latin1');
    const [first = '', second = ''] = answers.split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 400 /);
    expect(first).not.toMatch(/\r\nconnection: close\r\n/i);
    expect(second).toMatch(/^HTTP\/1\.1 413 /);
    expect(second).toMatch(/\r\nconnection: close\r\n/i);
    expect(second).toMatch(/Request body is too large/);
  });
});
