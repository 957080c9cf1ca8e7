// The agent's own HTTP API (Nomad's client endpoints, command/agent/*_endpoint.go on a client): one
// Fastify app, every body read as text and every error answered as text, as on the servers, with
// the routes mounted from the contract's routers: signal and restart of the allocations this node
// runs (lifecycle-routes.ts), Nomad's cluster and agent routes as a client-only agent answers them
// (agent-routes.ts) and resource statistics (stats-routes.ts). Callers are resolved once for all
// of them (caller.ts): the node's SecretID (the servers forwarding) or a user's token.
import { ErrorText } from '@berth/contract';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AllocRunner } from '../allocrunner/types.js';
import { registerAgentApiRoutes, type AgentApiOptions } from './agent-routes.js';
import { callerResolver, sendText as text } from './caller.js';
import { registerLifecycleRoutes } from './lifecycle-routes.js';
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
  stats?: Pick<StatsRoutesOptions, 'nodeID' | 'sampler' | 'host' | 'servers'>;
}

/** Builds the agent's app; never listens (the caller does). */
export async function buildAgentApp(options: AgentAppOptions): Promise<FastifyInstance> {
  // HEAD is not GET here: it is refused like any method these paths do not take.
  const app = Fastify({ logger: false, exposeHeadRoutes: false });
  // Every body is text, whatever its content type; each route decodes it as Nomad's handler does.
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

  await registerLifecycleRoutes(app, {
    authenticate,
    allocation: (id) => options.allocation(id),
  });
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
