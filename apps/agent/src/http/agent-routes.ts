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
import { agentContract, ErrorText, regionsContract, statusContract } from '@berth/contract';
import { initServer } from '@ts-rest/fastify';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ServerCallError } from '../daemon/server-failover.js';
import { Refusal, type Caller } from './caller.js';
import type { ClusterServers, ForwardedCaller } from './cluster-servers.js';
import { headerToken, registerContractRoutes } from './contract-routes.js';
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

/** Mounts the routes on `app`, in a context of their own (ts-rest sets its error handler there). */
export async function registerAgentApiRoutes(
  app: FastifyInstance,
  options: AgentApiOptions & { authenticate: (token: string) => Promise<Caller> },
): Promise<void> {
  const { facts, cluster, authenticate } = options;

  /** The caller, if it may read the agent (`agent:read`; the node's own secret may). */
  async function agentReader(args: HandlerArgs): Promise<void> {
    const caller = await authenticate(headerToken(args));
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
    const caller = { token: headerToken(args), region: args.query.region };
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

  await registerContractRoutes(
    app,
    { status: statusContract, regions: regionsContract, agent: agentContract },
    { status, regions, agent },
  );
}
