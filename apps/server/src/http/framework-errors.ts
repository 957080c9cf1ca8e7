// Errors raised by the HTTP framework itself, before any route runs: a malformed URL, a body too
// large or of a malformed type, a request Node's parser cannot read. Each answers the status that
// names the mistake with a `text/plain` message, as every other error here does, never fastify's
// JSON.
import {
  STATUS_CODES,
  maxHeaderSize,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import { ERROR_CONTENT_TYPE, ErrorText, goQuote } from '@berth/contract';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The router's limit on one path parameter, in characters. A parameter can never be longer than
 * the request line and headers that carry it (Node refuses more than `maxHeaderSize` bytes with
 * 431), so no ID a connection can deliver is refused for its length: it reaches its handler, whose
 * lookup answers with the spec's text (`alloc lookup failed: ...` for a malformed allocation ID).
 */
export const MAX_PARAM_LENGTH = maxHeaderSize;

/** How many characters of a request's own input a message repeats. */
const QUOTED_INPUT_LIMIT = 100;

/** Status and text of a framework error (FST_ERR_*), or `undefined` for any other error. */
export function frameworkErrorAnswer(
  error: FastifyError,
  request: FastifyRequest,
): { status: number; message: string } | undefined {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return { status: 400, message: badUrlMessage(request.url) };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return {
        status: 414,
        message: `URI Too Long: a path segment is longer than ${MAX_PARAM_LENGTH} characters`,
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        message: `Request body is too large: the limit is ${request.routeOptions.bodyLimit ?? request.server.initialConfig.bodyLimit} bytes`,
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        message: `Unsupported Media Type: Content-Type ${quoteInput(request.headers['content-type'] ?? '')} is not a media type`,
      };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        status: 400,
        message: `Request body size did not match Content-Length ${quoteInput(request.headers['content-length'] ?? '')}`,
      };
    default:
      return undefined;
  }
}

/**
 * The words for a URL that cannot be decoded: Go's `invalid URL escape "%zz"` for a `%` not
 * followed by two hex digits; otherwise the escapes are well formed but do not spell UTF-8 (which
 * Go's net/http accepts as bytes; berth's IDs are text).
 */
export function badUrlMessage(url: string): string {
  // An absolute-form target (`GET http://host/path`) is read for its path, as Node and Go do.
  const authority = /^https?:\/\/[^/?]*/i.exec(url);
  const target = authority ? url.slice(authority[0].length) : url;
  if (!authority && !target.startsWith('/')) {
    return `invalid request target ${quoteInput(url)}: expected a path or an http(s) URL`;
  }
  const query = target.indexOf('?');
  const path = query === -1 ? target : target.slice(0, query);
  const at = path.search(/%(?![0-9A-Fa-f]{2})/);
  if (at !== -1) return `invalid URL escape ${goQuote(path.slice(at, at + 3))}`;
  return 'invalid URL escape: the percent-encoded bytes of the path are not UTF-8';
}

function quoteInput(text: string): string {
  return text.length > QUOTED_INPUT_LIMIT
    ? `${goQuote(text.slice(0, QUOTED_INPUT_LIMIT))}...`
    : goQuote(text);
}

/**
 * fastify's `frameworkErrors` option: the errors its router raises before a request has a route
 * (bad URL, parameter too long). No hook has run, so nothing has been done.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const answer = frameworkErrorAnswer(error, request);
  if (answer) {
    void reply.code(answer.status).type(ERROR_CONTENT_TYPE).send(answer.message);
    return;
  }
  // Only FST_ERR_ASYNC_CONSTRAINT reaches here, and berth declares no async constraint.
  request.log.error({ err: error }, 'internal error');
  void reply
    .code(500)
    .type(ERROR_CONTENT_TYPE)
    .send(`${ErrorText.InternalError} (request id ${request.id})`);
}

/** An error Node's HTTP parser raises for a request it cannot read (`clientError`). */
interface ClientError extends Error {
  code?: string;
  reason?: string;
}

/**
 * fastify's `clientErrorHandler`: the request could not be parsed (a malformed request line or
 * header, headers larger than Node allows, a request that took too long to arrive), so there is no
 * request object; answer on the socket and close it, as Node and fastify do.
 */
export function answerClientError(error: ClientError, socket: Socket): void {
  // The peer is gone: nothing to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] = clientErrorText(error);
  answerOnSocket(socket, status, message);
}

/**
 * How long, and how many bytes, a refused connection is read and discarded for after its answer
 * before the socket is destroyed. A client may still be sending what follows the unreadable part
 * (a body of the default 1 MiB limit or more); destroying the socket with those bytes unread makes
 * the kernel send a reset, which can overtake the answer. Go's net/http and nginx linger likewise;
 * the bounds keep a client from holding the socket open.
 */
export const LINGER_MS = 2000;
export const LINGER_BYTES = 8 * 1024 * 1024;

/** Sockets already answered: Node's parser reports its error again for each later chunk. */
const answered = new WeakSet<Socket>();

/** Writes a whole text answer on a socket fastify does not manage, then closes it lingering. */
function answerOnSocket(socket: Socket, status: number, message: string): void {
  if (answered.has(socket)) return;
  answered.add(socket);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = Buffer.from(message);
  socket.write(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      `Content-Type: ${ERROR_CONTENT_TYPE}\r\n` +
      `Content-Length: ${body.length}\r\n` +
      'Connection: close\r\n\r\n',
  );
  socket.end(body);
  lingerThenDestroy(socket);
}

/**
 * Closes a connection Node's HTTP server lets go of after an answer that said `Connection: close`
 * (fastify says it on a body it refused, e.g. a 413 by Content-Length, whose bytes are still
 * arriving; a client may ask for it too). Node would destroy the socket once the answer is
 * written, and a peer still sending the unread body then gets a reset (EPIPE, ECONNRESET) that
 * can overtake the answer. Ends our side after the answer and lingers instead, as Go does.
 */
function closeLingering(socket: Socket): void {
  // A parser error the discarded bytes might still raise is not answered on top.
  answered.add(socket);
  socket.end();
  // A body nobody read has stopped the socket's reading (backpressure from the request stream) and
  // left the stream waiting on a read it will not finish by itself; Node's server restarts it on
  // the socket's `resume` event, which it listens to until lingerThenDestroy takes the socket over.
  socket.emit('resume');
  lingerThenDestroy(socket);
}

/**
 * Reads and drops what the peer still sends until it half-closes (the socket then closes itself:
 * both sides have ended) or a bound is reached.
 */
function lingerThenDestroy(socket: Socket): void {
  // Node's parser has given up on this connection: the bytes are ours to drop. Adding a `data`
  // listener also takes the socket back from the native parser, which would report each chunk.
  socket.removeAllListeners('data');
  let discarded = 0;
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  socket.once('close', () => clearTimeout(timer));
  socket.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) socket.destroy();
  });
  socket.resume();
}

/**
 * The requests Node answers itself, around fastify: a CONNECT (without a listener Node drops the
 * connection with no answer) and an `Expect` other than `100-continue` (Node's 417 has no body);
 * and the close after an answer that said `Connection: close`, which lingers.
 */
export function registerServerAnswers(server: Server): void {
  // Node's server calls `destroySoon` on a socket it closes after a response; every such close
  // lingers (see closeLingering).
  server.on('connection', (socket: Socket) => {
    socket.destroySoon = () => closeLingering(socket);
  });
  server.on('connect', (_request: IncomingMessage, socket: Socket) => {
    answerOnSocket(socket, 405, ErrorText.InvalidMethod);
  });
  server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    const message = `Expectation Failed: only "100-continue" is understood, not ${quoteInput(request.headers.expect ?? '')}`;
    const body = Buffer.from(message);
    response.writeHead(417, {
      'content-type': ERROR_CONTENT_TYPE,
      'content-length': body.length,
      connection: 'close',
    });
    response.end(body);
  });
}

function clientErrorText(error: ClientError): [number, string] {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return [
      431,
      `Request Header Fields Too Large: the request line and headers exceed ${maxHeaderSize} bytes`,
    ];
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return [408, 'Request Timeout: the request did not arrive in time'];
  }
  // llhttp's reason names what it could not read ("Invalid method encountered", ...).
  return [400, `Bad Request: ${error.reason ?? error.code ?? 'malformed HTTP request'}`];
}
