// HTTP handlers of the cluster and agent endpoints (status, regions, agent): read the request,
// call the endpoint, write the body. None of these is a blocking query or carries X-Nomad-*
// headers, as Nomad's.
import { agentContract, regionsContract, requestToken, statusContract } from '@berth/contract';
import { initServer } from '@ts-rest/fastify';
import type { EndpointContext } from '../../endpoints/context.js';
import { agentHealth } from '../../endpoints/agent/health.js';
import { agentMembers } from '../../endpoints/agent/members.js';
import { agentSelf } from '../../endpoints/agent/self.js';
import { agentServers } from '../../endpoints/agent/servers.js';
import { listRegions, statusLeader, statusPeers } from '../../endpoints/agent/status.js';
import { fastifyOf } from './route-args.js';

const s = initServer();

/**
 * A JSON string body: fastify would send a bare string as text, so it is encoded here (Nomad's
 * `/v1/status/leader` answers `"10.0.0.1:4647"`, quotes included).
 */
function jsonString(args: { request: unknown; reply: unknown }, value: string) {
  const { reply } = fastifyOf(args);
  reply.type('application/json; charset=utf-8');
  return { status: 200 as const, body: JSON.stringify(value) };
}

/** A caller's token, from `X-Nomad-Token` or `Authorization: Bearer`. */
const tokenOf = (args: { request: unknown; reply: unknown }) =>
  requestToken(fastifyOf(args).request.headers);

export function statusRoutes(ctx: EndpointContext) {
  return s.router(statusContract, {
    leader: (args) => Promise.resolve(jsonString(args, statusLeader(ctx))),
    peers: () => Promise.resolve({ status: 200 as const, body: statusPeers(ctx) }),
  });
}

export function regionRoutes(ctx: EndpointContext) {
  return s.router(regionsContract, {
    list: () => Promise.resolve({ status: 200 as const, body: listRegions(ctx) }),
  });
}

export function agentRoutes(ctx: EndpointContext) {
  return s.router(agentContract, {
    self: (args) =>
      Promise.resolve({ status: 200 as const, body: agentSelf(ctx, { token: tokenOf(args) }) }),
    members: (args) =>
      Promise.resolve({ status: 200 as const, body: agentMembers(ctx, { token: tokenOf(args) }) }),
    servers: (args) =>
      Promise.resolve({ status: 200 as const, body: agentServers(ctx, { token: tokenOf(args) }) }),
    health: (args) =>
      Promise.resolve({ status: 200 as const, body: agentHealth(ctx, { types: args.query.type }) }),
  });
}
