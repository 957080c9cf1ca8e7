// HTTP handlers of the file routes (Nomad's /v1/client/fs/* on a server): read the request, call
// the endpoint, which checks the caller and forwards to the node agent; the agent's answer is
// streamed back as it comes, and the forwarded call ends when the caller goes away.
import { AllocFileInfoSchema, clientFsContract, requestToken } from '@berth/contract';
import type { AppRoute } from '@ts-rest/core';
import { initServer } from '@ts-rest/fastify';
import { z } from 'zod';
import type { EndpointContext } from '../../endpoints/context.js';
import { EndpointError } from '../../endpoints/endpoint-error.js';
import { allocFs } from '../../endpoints/fs/alloc-fs.js';
import { httpFsForwarder, type FsForwarder } from '../../nodes/fs-forward.js';
import { fastifyOf } from './route-args.js';

const s = initServer();

/** The largest listing or stat answer read from a node (10,000 entries fit). */
const MAX_JSON_BYTES = 16 * 1024 * 1024;

export function clientFsRoutes(ctx: EndpointContext, forwarder: FsForwarder = httpFsForwarder()) {
  async function forwarded(
    args: { params: { allocID: string }; request: unknown; reply: unknown },
    route: AppRoute,
    capability: 'read-logs' | 'read-fs',
  ) {
    const { request, reply } = fastifyOf(args);
    const controller = new AbortController();
    reply.raw.once('close', () => controller.abort());
    const at = request.url.indexOf('?');
    const answer = await allocFs(ctx, forwarder, {
      token: requestToken(request.headers),
      allocID: args.params.allocID,
      route,
      capability,
      query: at === -1 ? '' : request.url.slice(at),
      signal: controller.signal,
    });
    reply.type(answer.contentType);
    return { status: 200 as const, body: answer.body };
  }

  /** A JSON answer (ls, stat), read whole, bounded, and checked against the route's schema. */
  async function json<S extends z.ZodTypeAny>(
    args: { params: { allocID: string }; request: unknown; reply: unknown },
    route: AppRoute,
    schema: S,
  ): Promise<{ status: 200; body: z.infer<S> }> {
    const { body } = await forwarded(args, route, 'read-fs');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > MAX_JSON_BYTES) {
        body.destroy();
        throw new EndpointError(500, `the node's answer to ${route.path} is too large`);
      }
      chunks.push(chunk as Buffer);
    }
    let parsed: z.SafeParseReturnType<unknown, z.infer<S>>;
    try {
      parsed = schema.safeParse(JSON.parse(Buffer.concat(chunks).toString()));
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      parsed = { success: false, error: new z.ZodError([]) };
    }
    if (!parsed.success) {
      throw new EndpointError(500, `the node answered ${route.path} with an unreadable body`);
    }
    return { status: 200 as const, body: parsed.data };
  }

  const routes = clientFsContract;
  return s.router(clientFsContract, {
    logs: (args) => forwarded(args, routes.logs, 'read-logs'),
    list: (args) => json(args, routes.list, z.array(AllocFileInfoSchema)),
    stat: (args) => json(args, routes.stat, AllocFileInfoSchema),
    cat: (args) => forwarded(args, routes.cat, 'read-fs'),
    readAt: (args) => forwarded(args, routes.readAt, 'read-fs'),
    stream: (args) => forwarded(args, routes.stream, 'read-fs'),
  });
}
