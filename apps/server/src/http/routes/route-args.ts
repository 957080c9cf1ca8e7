// What a route handler receives. @ts-rest/fastify 3.52 types `request` and `reply` against
// fastify 4's generics, which fastify 5 reorders; the handlers take them through this one adapter
// instead of repeating casts.
import type { AppRoute, ServerInferRequest } from '@ts-rest/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

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
