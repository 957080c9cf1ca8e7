// Nomad's cluster and agent endpoints as a client-only agent answers them
// (command/agent/agent_endpoint.go, status_endpoint.go, region_endpoint.go): `/v1/agent/self`,
// `/servers` and `/health` from what the agent knows of itself; `/v1/status/leader`, `/peers`,
// `/v1/regions` and `/v1/agent/members` asked of its servers, with the caller's token. Path,
// method, query validation and answer types come from the contract's routers.
//
//   self, servers ── authenticate (403/503) ── agent:read (403) ── the agent's facts
//   health ───────── no ACL ── client ok while a server is known; `type=server`: 500
//   leader, peers, regions, members ── the servers, token and region passed on (members:
//                                       node:read, checked by the servers; their answer is final)
import {
  agentContract,
  ErrorText,
  regionsContract,
  requestToken,
  statusContract,
} from '@berth/contract';
import { isAppRoute, type AppRoute, type AppRouter } from '@ts-rest/core';
import { initServer, type RequestValidationError } from '@ts-rest/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ServerCallError } from '../daemon/server-failover.js';
import { Refusal, sendText, type Caller } from './caller.js';
import type { ClusterServers, ForwardedCaller } from './cluster-servers.js';
import {
  nodeAgentHealth,
  nodeAgentSelf,
  serverAddresses,
  type NodeAgentFacts,
} from './node-self.js';

export interface AgentApiOptions {
  /** What the agent knows of itself, read at each request. */
  facts: () => NodeAgentFacts;
  /** Its servers, for what only they can answer; undefined when it has no server address. */
  cluster: ClusterServers | undefined;
}

/** What a route handler is given besides its validated request. */
interface HandlerArgs {
  request: unknown;
  reply: unknown;
}

const s = initServer();

/** The fastify request of a handler (ts-rest 3.52 types it against fastify 4's generics). */
const requestOf = (args: HandlerArgs) => args.request as FastifyRequest;

function routesOf(router: AppRouter): AppRoute[] {
  return Object.values(router).flatMap((entry) => (isAppRoute(entry) ? [entry] : routesOf(entry)));
}

/** Mounts the routes on `app`, in a context of their own (ts-rest sets its error handler there). */
export async function registerAgentApiRoutes(
  app: FastifyInstance,
  options: AgentApiOptions & { authenticate: (token: string) => Promise<Caller> },
): Promise<void> {
  const { facts, cluster, authenticate } = options;

  /** The caller, if it may read the agent (`agent:read`; the node's own secret may). */
  async function agentReader(args: HandlerArgs): Promise<void> {
    const caller = await authenticate(requestToken(requestOf(args).headers));
    if (caller.kind === 'user' && !caller.acl.allowAgentRead()) {
      throw new Refusal(403, ErrorText.PermissionDenied);
    }
  }

  /** Asks the servers; their refusal or fault is the answer, none reachable is a 503. */
  async function forwarded<T>(
    args: HandlerArgs & { query: { region?: string } },
    ask: (servers: ClusterServers, caller: ForwardedCaller) => Promise<T>,
  ): Promise<T> {
    if (cluster === undefined) throw new Refusal(503, 'no servers known');
    const caller = { token: requestToken(requestOf(args).headers), region: args.query.region };
    try {
      return await ask(cluster, caller);
    } catch (error) {
      if (error instanceof ServerCallError) {
        throw new Refusal(error.status === 0 ? 503 : error.status, error.message);
      }
      throw error;
    }
  }

  /**
   * A JSON string body: fastify would send a bare string as text, so it is encoded here (Nomad's
   * `/v1/status/leader` answers `"10.0.0.1:4647"`, quotes included).
   */
  function jsonString(args: HandlerArgs, value: string) {
    (args.reply as FastifyReply).type('application/json; charset=utf-8');
    return { status: 200 as const, body: JSON.stringify(value) };
  }

  const status = s.router(statusContract, {
    leader: async (args) => jsonString(args, await forwarded(args, (c, who) => c.leader(who))),
    peers: async (args) => ({
      status: 200 as const,
      body: await forwarded(args, (c, who) => c.peers(who)),
    }),
  });
  const regions = s.router(regionsContract, {
    list: async (args) => ({
      status: 200 as const,
      body: await forwarded(args, (c, who) => c.regions(who)),
    }),
  });
  const agent = s.router(agentContract, {
    self: async (args) => {
      await agentReader(args);
      return { status: 200 as const, body: nodeAgentSelf(facts()) };
    },
    members: async (args) => ({
      status: 200 as const,
      body: await forwarded(args, (c, who) => c.members(who)),
    }),
    servers: async (args) => {
      await agentReader(args);
      return { status: 200 as const, body: serverAddresses(facts().servers) };
    },
    health: (args) => {
      const { ok, health } = nodeAgentHealth(args.query.type, facts().servers.length);
      // Unhealthy: a 500 whose text is the health as JSON, as Nomad's.
      return Promise.resolve(
        ok
          ? { status: 200 as const, body: health }
          : { status: 500 as const, body: JSON.stringify(health) },
      );
    },
  });

  await app.register(async (api) => {
    // Errors are text, as everywhere in the API. ts-rest sets its own handler in the context
    // below, which hands anything but a request validation error on to this one.
    api.setErrorHandler((error: Error & { statusCode?: number }, _req, reply) => {
      if (error instanceof Refusal) return sendText(reply, error.status, error.message);
      const code = error.statusCode ?? 500;
      if (code >= 400 && code < 500) return sendText(reply, code, error.message);
      return sendText(reply, 500, ErrorText.InternalError);
    });
    await api.register((routes, _opts, done) => {
      s.registerRouter(
        { status: statusContract, regions: regionsContract, agent: agentContract },
        { status, regions, agent },
        routes,
        {
          logInitialization: false,
          // Every answer is checked against the contract's schema before it is sent.
          responseValidation: true,
          requestValidationErrorHandler: (error: RequestValidationError, _req, reply) => {
            const issue = (error.query ?? error.pathParams ?? error.headers ?? error.body)
              ?.issues[0];
            void sendText(reply, 400, issue?.message ?? 'Invalid request');
          },
        },
      );
      done();
    });
    // Any other method on these paths is refused before anything is read, as on the servers.
    for (const route of [statusContract, regionsContract, agentContract].flatMap(routesOf)) {
      api.route({
        method: ['HEAD', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'].filter(
          (m) => m !== route.method,
        ),
        url: route.path,
        onRequest: (_req, reply) => {
          void sendText(reply, 405, ErrorText.InvalidMethod);
        },
        handler: (_req, reply) => sendText(reply, 405, ErrorText.InvalidMethod),
      });
    }
  });
}
