// JSON bodies. Endpoint views (list stubs, read bodies) are immutable and reused across requests,
// so each one's JSON is produced once and remembered: a read body as a string, a list item as
// bytes. A list body is made of those bytes without joining them when it is large: it streams.
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TimeSlice } from '../endpoints/time-slice.js';

const rememberedText = new WeakMap<object, string>();
const remembered = new WeakMap<object, Buffer>();
const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');
const EMPTY = Buffer.from('[]');
// `JSON.stringify(list, null, 4)` and a newline, one item at a time: each item indented one more
// level (a JSON text has no raw newline but between tokens, so every newline starts a line).
const PRETTY_OPEN = Buffer.from('[\n    ');
const PRETTY_COMMA = Buffer.from(',\n    ');
const PRETTY_CLOSE = Buffer.from('\n]\n');
const PRETTY_EMPTY = Buffer.from('[]\n');

/** A list body up to this size is one buffer sent with a Content-Length; a larger one streams. */
export const STREAM_ABOVE_BYTES = 1024 * 1024;
// How much of a streamed body is encoded ahead of the socket, and how much goes in one write.
const STREAM_HIGH_WATER_MARK = 64 * 1024;
const STREAM_CHUNK_BYTES = 16 * 1024;

function cachedText(value: object): string {
  let json = rememberedText.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    rememberedText.set(value, json);
  }
  return json;
}

// An array item JSON cannot represent (undefined, a function) is written `null`, as in an array.
const itemJson = (value: unknown, indent?: number): string =>
  JSON.stringify(value, null, indent) ?? 'null';

function cachedJson(value: unknown): Buffer {
  if (typeof value !== 'object' || value === null) return Buffer.from(itemJson(value));
  let json = remembered.get(value);
  if (json === undefined) {
    json = Buffer.from(JSON.stringify(value));
    remembered.set(value, json);
  }
  return json;
}

/** Serialises a view or an array of views, reusing each view's encoded JSON. */
export function serializeViews(payload: unknown): Buffer | string {
  if (!Array.isArray(payload)) {
    return typeof payload === 'object' && payload !== null
      ? cachedText(payload)
      : JSON.stringify(payload);
  }
  const parts: Buffer[] = [OPEN];
  payload.forEach((item, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(cachedJson(item));
  });
  parts.push(CLOSE);
  return Buffer.concat(parts);
}

const prettyItemJson = (value: unknown) =>
  Buffer.from(itemJson(value, 4).replaceAll('\n', '\n    '));

/** The pieces of a list body, each item encoded only when its piece is asked for. */
function* listPieces(items: readonly unknown[], pretty: boolean): Generator<Buffer, void> {
  if (items.length === 0) {
    yield pretty ? PRETTY_EMPTY : EMPTY;
    return;
  }
  yield pretty ? PRETTY_OPEN : OPEN;
  for (let i = 0; i < items.length; i++) {
    if (i > 0) yield pretty ? PRETTY_COMMA : COMMA;
    yield pretty ? prettyItemJson(items[i]) : cachedJson(items[i]);
  }
  yield pretty ? PRETTY_CLOSE : CLOSE;
}

/**
 * The rest of a large list body, encoded as the socket takes it: no step joins or encodes the
 * whole body. Its headers are sent with its first bytes, so an item that cannot be encoded
 * destroys the stream (fastify then logs the error and destroys the connection) rather than
 * ending a truncated body as if it were whole.
 */
class ListBodyStream extends Readable {
  readonly #head: Buffer[];
  readonly #pieces: Iterator<Buffer, void>;
  readonly #slice = new TimeSlice();

  constructor(head: Buffer[], pieces: Iterator<Buffer, void>) {
    super({ highWaterMark: STREAM_HIGH_WATER_MARK });
    this.#head = head;
    this.#pieces = pieces;
  }

  override _read(): void {
    // A socket that takes every write at once would otherwise have the whole body pushed in one
    // step; past its time slice the stream lets the event loop turn before it pushes more.
    if (this.#slice.due()) {
      this.#slice.yield().then(
        () => this.#push(),
        (err: unknown) => this.destroy(err as Error),
      );
    } else this.#push();
  }

  #push(): void {
    try {
      // Bounded by the high-water mark: push answers false once that much waits to be sent.
      // Pieces go out joined in chunks of STREAM_CHUNK_BYTES: one socket write (and one chunked
      // transfer frame) per list item made a 10,000-item list three times slower to send.
      for (;;) {
        const chunk: Buffer[] = [];
        let size = 0;
        let piece: Buffer | undefined;
        while (size < STREAM_CHUNK_BYTES) {
          piece = this.#head.shift() ?? this.#pieces.next().value ?? undefined;
          if (piece === undefined) break;
          chunk.push(piece);
          size += piece.length;
        }
        if (size > 0 && !this.push(Buffer.concat(chunk, size))) return;
        if (piece === undefined) {
          this.push(null);
          return;
        }
      }
    } catch (err) {
      this.destroy(new Error(`encoding a list body: ${String(err)}`, { cause: err }));
    }
  }
}

/**
 * A list of views as its JSON body (indented when `pretty`): one buffer when it is at most
 * STREAM_ABOVE_BYTES, else a stream. The first part is encoded in time slices, so a long list's
 * first answer after many writes never encodes thousands of views in one step.
 */
export async function listBody(
  items: readonly unknown[],
  pretty: boolean,
): Promise<Buffer | Readable> {
  const pieces = listPieces(items, pretty);
  const head: Buffer[] = [];
  let size = 0;
  const slice = new TimeSlice();
  for (;;) {
    if (slice.due()) await slice.yield();
    const next = pieces.next();
    if (next.done) return Buffer.concat(head, size);
    head.push(next.value);
    size += next.value.length;
    if (size > STREAM_ABOVE_BYTES) return new ListBodyStream(head, pieces);
  }
}

/** `?pretty` (any value but 0) asks for indented JSON ending with a newline, as Nomad's agent. */
export function wantsPretty(request: FastifyRequest): boolean {
  const pretty = (request.query as Record<string, string | undefined>).pretty;
  return pretty !== undefined && pretty !== '0';
}

const prettyJson = (payload: unknown) => `${JSON.stringify(payload, null, 4)}\n`;

/** Replies whose JSON body is made of immutable views (see chooseSerializer). */
const viewReplies = new WeakSet<FastifyReply>();

/**
 * Marks whether a reply's JSON body is made of immutable views, whose remembered JSON is then
 * reused. Nothing is set on the reply here: the serializer is chosen only once the body is known
 * to be JSON (see jsonSerializer), so an error's text sent after this never meets it.
 */
export function chooseSerializer(
  _request: FastifyRequest,
  reply: FastifyReply,
  views: boolean,
): void {
  if (views) viewReplies.add(reply);
  else viewReplies.delete(reply);
}

/**
 * The serializer of a JSON body about to be written (fastify's preSerialization, which only sees
 * values to be encoded, never a string, buffer or stream): indented when `?pretty` asks on a
 * success, from remembered view JSON when the reply holds views, else fastify's own
 * (`undefined`). An error is text (errors.ts), so `?pretty` never touches it.
 */
export function jsonSerializer(
  request: FastifyRequest,
  reply: FastifyReply,
): ((payload: unknown) => string) | undefined {
  if (reply.statusCode >= 400) return undefined;
  if (wantsPretty(request)) return prettyJson;
  // fastify sends a Buffer from a serializer as it is, with the JSON type it set before.
  if (viewReplies.has(reply)) return serializeViews as unknown as (payload: unknown) => string;
  return undefined;
}
