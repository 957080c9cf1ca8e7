// The agent's own HTTP API (Nomad's client endpoints, command/agent/alloc_endpoint.go on a client):
// signal and restart of the allocations this node runs. The servers forward those calls with the
// node's SecretID as token; Nomad's clients call the node's HTTPAddr directly with the user's
// token and take any answer as final, so a user's token is checked here as a server checks it:
// authenticate (403) → look the allocation up (404) → `alloc-lifecycle` in its namespace (403).
// Nomad's cluster and agent routes, as a client-only agent answers them, are in agent-routes.ts.
import {
  AllocRestartRequestSchema,
  AllocSignalRequestSchema,
  ErrorText,
  requestToken,
  unknownAllocation,
  type AllocRestartRequest,
  type AllocSignalRequest,
} from '@berth/contract';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { LifecycleError, type AllocRunner } from '../allocrunner/types.js';
import { registerAgentApiRoutes, type AgentApiOptions } from './agent-routes.js';
import { callerResolver, Refusal, sendText as text, type Caller } from './caller.js';
import { registerStatsRoutes, type StatsRoutesOptions } from './stats-routes.js';
import type { TokenAuthorizer } from './token-authorizer.js';

/** An allocation this node runs: its runner and the namespace callers need rights in. */
export interface AgentAlloc {
  runner: AllocRunner;
  namespace: string;
}

export interface AgentAppOptions {
  secretID: string;
  /** An allocation this node runs, if any. */
  allocation(allocID: string): AgentAlloc | undefined;
  /**
   * Resolves users' tokens with the servers. Without it only the node's SecretID (the servers'
   * forwarded calls) is accepted.
   */
  authorizer?: TokenAuthorizer;
  /**
   * What the agent knows of itself and its servers, for Nomad's cluster and agent routes
   * (`/v1/agent/*`, `/v1/status/*`, `/v1/regions`). Without it those paths are not served.
   */
  agentApi?: AgentApiOptions;
  /** How resource statistics are measured (`/v1/client/stats`...); without it not served. */
  stats?: Pick<StatsRoutesOptions, 'nodeID' | 'sampler' | 'host'>;
}

/** Builds the agent's app; never listens (the caller does). */
export async function buildAgentApp(options: AgentAppOptions): Promise<FastifyInstance> {
  // HEAD is not GET here: it is refused like any method these paths do not take.
  const app = Fastify({ logger: false, exposeHeadRoutes: false });
  // An empty or missing body is an empty request, as Nomad's decoder allows.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    done(null, body);
  });
  // Unregistered paths answer as the servers do: 404, empty text.
  app.setNotFoundHandler((_req, reply) => text(reply, 404, ''));
  // The framework's own refusals (a body too large...) are text too; anything else is a fault.
  app.setErrorHandler((error: { statusCode?: number; message?: string }, _req, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return text(reply, status, error.message ?? '');
    return text(reply, 500, ErrorText.InternalError);
  });

  const authenticate = callerResolver(options.secretID, options.authorizer);

  const lifecycle =
    <T>(
      parse: (body: unknown) => T,
      tokenOf: (req: FastifyRequest, request: T) => string,
      act: (runner: AllocRunner, request: T) => Promise<void>,
    ) =>
    async (req: FastifyRequest<{ Params: { allocID: string } }>, reply: FastifyReply) => {
      let request: T;
      try {
        request = parse(decodeBody(req.body));
      } catch (error) {
        return text(reply, 400, errorText(error));
      }
      let caller: Caller;
      try {
        caller = await authenticate(tokenOf(req, request));
      } catch (error) {
        if (error instanceof Refusal) return text(reply, error.status, error.message);
        throw error;
      }
      const alloc = options.allocation(req.params.allocID);
      if (alloc === undefined) return text(reply, 404, unknownAllocation(req.params.allocID));
      // The node's own secret may act on every allocation placed on it.
      if (
        caller.kind === 'user' &&
        !caller.acl.allowNamespaceOperation(alloc.namespace, 'alloc-lifecycle')
      ) {
        return text(reply, 403, ErrorText.PermissionDenied);
      }
      try {
        await act(alloc.runner, request);
      } catch (error) {
        if (error instanceof LifecycleError) return text(reply, error.status, error.message);
        return text(reply, 500, errorText(error));
      }
      return reply.code(200).send({});
    };

  const signal = lifecycle(
    (body): AllocSignalRequest => AllocSignalRequestSchema.parse(body),
    // As in Nomad (and on the servers), the body's AuthToken counts when no header carries one.
    (req, r) => requestToken(req.headers) || r.AuthToken,
    (runner, r) => runner.signal(r.Task, r.Signal),
  );
  const restart = lifecycle(
    (body): AllocRestartRequest => AllocRestartRequestSchema.parse(body),
    (req) => requestToken(req.headers),
    (runner, r) => runner.restart(r.TaskName, r.AllTasks),
  );
  for (const method of ['POST', 'PUT'] as const) {
    app.route({ method, url: '/v1/client/allocation/:allocID/signal', handler: signal });
    app.route({ method, url: '/v1/client/allocation/:allocID/restart', handler: restart });
  }
  // Any other method is refused before anything is read, as on the servers (a GET must never
  // restart anything).
  for (const url of [
    '/v1/client/allocation/:allocID/signal',
    '/v1/client/allocation/:allocID/restart',
  ]) {
    app.route({
      method: ['GET', 'HEAD', 'DELETE', 'PATCH', 'OPTIONS'],
      url,
      handler: (_req, reply) => text(reply, 405, ErrorText.InvalidMethod),
    });
  }
  if (options.agentApi) {
    await registerAgentApiRoutes(app, { ...options.agentApi, authenticate });
  }
  if (options.stats) {
    await registerStatsRoutes(app, {
      ...options.stats,
      authenticate,
      allocation: (id) => options.allocation(id),
    });
  }
  return app;
}

function decodeBody(body: unknown): unknown {
  if (typeof body !== 'string' || body.trim() === '') return {};
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new Error('Failed to decode request body');
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error && 'issues' in error) {
    const issues = (error as { issues: { message: string }[] }).issues;
    return issues.map((i) => i.message).join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}
