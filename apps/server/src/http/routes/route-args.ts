// What a route handler receives. @ts-rest/fastify 3.52 types `request` and `reply` against
// fastify 4's generics, which fastify 5 reorders; the handlers take them through this one adapter
// instead of repeating casts.
import { requestToken, type QueryOptions } from '@berth/contract';
import type { AppRoute, ServerInferRequest } from '@ts-rest/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BlockingOptions } from '../../blocking/blocking-query.js';
import { chooseSerializer, listBody, wantsPretty } from '../json.js';
import { setQueryMeta } from '../meta.js';
import { blockingOptions } from './blocking.js';

/** The validated request of a route, plus fastify's request and reply (typed by `fastifyOf`). */
export type RouteArgs<R extends AppRoute> = ServerInferRequest<R> & {
  request: unknown;
  reply: unknown;
};

export function fastifyOf(args: { request: unknown; reply: unknown }): {
  request: FastifyRequest;
  reply: FastifyReply;
} {
  return { request: args.request as FastifyRequest, reply: args.reply as FastifyReply };
}

/** A read's fastify request and reply, the caller's token, and how long it may block. */
export function readArgs(args: {
  query: { index?: number; wait?: number };
  request: unknown;
  reply: unknown;
}): { request: FastifyRequest; reply: FastifyReply; token: string; blocking: BlockingOptions } {
  const { request, reply } = fastifyOf(args);
  return {
    request,
    reply,
    token: requestToken(request.headers),
    blocking: blockingOptions(args.query, reply),
  };
}

/** The paging options every list takes from its query string. */
export function pageOptions(query: QueryOptions) {
  return {
    prefix: query.prefix,
    filter: query.filter,
    perPage: query.per_page,
    nextToken: query.next_token,
    reverse: query.reverse,
  };
}

/** A read's answer: its X-Nomad-* headers, then a body of views whose JSON is reused. */
export async function answerViews<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  meta: { index: number; nextToken?: string },
  body: T,
) {
  setQueryMeta(reply, meta.index, meta.nextToken);
  if (Array.isArray(body)) {
    const encoded = await listBody(body, wantsPretty(request));
    // fastify sends a buffer or a stream as it is, with the type given here.
    reply.type('application/json; charset=utf-8');
    // ts-rest hands the body to reply.send unchanged (response validation is off).
    return { status: 200 as const, body: encoded as T };
  }
  chooseSerializer(request, reply, true);
  return { status: 200 as const, body };
}

/** A read of something that does not exist: a 404 that still carries the X-Nomad-* headers. */
export function answerMissing(reply: FastifyReply, meta: { index: number }, message: string) {
  setQueryMeta(reply, meta.index);
  return { status: 404 as const, body: message };
}
