// JSON bodies. Endpoint views (list stubs, read bodies) are immutable and reused across requests,
// so each one's JSON is produced once and remembered: a read body as a string, a list item as
// bytes, so that a list body is one copy of those bytes with no string to build or encode.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TimeSlice } from '../endpoints/time-slice.js';

const rememberedText = new WeakMap<object, string>();
const remembered = new WeakMap<object, Buffer>();
const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

function cachedText(value: object): string {
  let json = rememberedText.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    rememberedText.set(value, json);
  }
  return json;
}

function cachedJson(value: unknown): Buffer {
  if (typeof value !== 'object' || value === null) return Buffer.from(JSON.stringify(value));
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

/**
 * Encodes and remembers each view's JSON ahead of serialisation, in time slices: the first answer
 * of a long list after many writes would otherwise encode thousands of views in one step.
 */
export async function encodeViewsInSlices(payload: unknown): Promise<void> {
  if (!Array.isArray(payload)) return;
  const slice = new TimeSlice();
  for (const item of payload) {
    if (slice.due()) await slice.yield();
    cachedJson(item);
  }
}

/** `?pretty` (any value but 0) asks for indented JSON ending with a newline, as Nomad's agent. */
export function wantsPretty(request: FastifyRequest): boolean {
  const pretty = (request.query as Record<string, string | undefined>).pretty;
  return pretty !== undefined && pretty !== '0';
}

const prettyJson = (payload: unknown) => `${JSON.stringify(payload, null, 4)}\n`;

/**
 * Chooses how a reply's JSON is written: pretty when asked, else from remembered view JSON when
 * the body is made of immutable views, else plainly.
 */
export function chooseSerializer(
  request: FastifyRequest,
  reply: FastifyReply,
  views: boolean,
): void {
  if (wantsPretty(request)) reply.serializer(prettyJson);
  else if (views) {
    // fastify sends a Buffer from a serializer as it is, but then leaves the type to us.
    reply.type('application/json; charset=utf-8');
    reply.serializer(serializeViews as unknown as (payload: unknown) => string);
  }
}
