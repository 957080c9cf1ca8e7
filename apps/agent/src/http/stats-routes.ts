// Resource statistics as a Nomad client answers them (client/alloc_endpoint.go Allocations.Stats,
// client/client_stats_endpoint.go ClientStats.Stats), mounted from the contract's
// `clientStatsContract` with @ts-rest/fastify.
//
//   allocation stats ── authenticate (403/503) ── this node runs it? ── read-job (403) ── measure
//                                                     └ no: asked of the servers (their answer)
//   host stats ──────── authenticate (403/503) ── node_id '' or this node? ── node:read (403)
//                                                     └ no: asked of the servers (their answer)
//
// The node's own secret (the servers forwarding) may read both, and is never sent back to the
// servers (an allocation the servers place here but this node does not run is a 404, not a loop).
// Without servers, what is not this node's is 404 `Unknown allocation` / 400.
import { clientStatsContract, ErrorText, unknownAllocation } from '@berth/contract';
import { initServer } from '@ts-rest/fastify';
import type { FastifyInstance } from 'fastify';
import { allocStats } from '../stats/alloc-stats.js';
import type { HostStatsCollector } from '../stats/host-stats.js';
import type { TaskSampler } from '../stats/task-sampler.js';
import type { AgentAlloc } from './app.js';
import { ServerCallError } from '../daemon/server-failover.js';
import { Refusal, type Caller } from './caller.js';
import { headerToken, registerContractRoutes } from './contract-routes.js';
import type { StatsServers } from './stats-servers.js';

export interface StatsRoutesOptions {
  nodeID: string;
  authenticate: (token: string) => Promise<Caller>;
  allocation(allocID: string): AgentAlloc | undefined;
  sampler: TaskSampler;
  host: HostStatsCollector;
  /** The servers, for allocations and nodes that are not this node's; none: refused. */
  servers?: StatsServers;
}

const s = initServer();

/** Mounts the statistics routes on `app`, in a context of their own. */
export async function registerStatsRoutes(
  app: FastifyInstance,
  options: StatsRoutesOptions,
): Promise<void> {
  const { authenticate, servers } = options;
  const callerOf = (args: { request: unknown }) => authenticate(headerToken(args));

  /** The servers' answer for a user's call this node cannot answer; their refusal is final. */
  async function fromServers<T>(
    args: { request: unknown; query: { region?: string } },
    ask: (s: StatsServers, caller: { token: string; region: string | undefined }) => Promise<T>,
  ): Promise<T | undefined> {
    if (servers === undefined) return undefined;
    try {
      return await ask(servers, { token: headerToken(args), region: args.query.region });
    } catch (error) {
      if (error instanceof ServerCallError) {
        throw new Refusal(error.status === 0 ? 503 : error.status, error.message);
      }
      throw error;
    }
  }

  const router = s.router(clientStatsContract, {
    allocation: async (args) => {
      const caller = await callerOf(args);
      const alloc = options.allocation(args.params.allocID);
      if (alloc === undefined) {
        const { allocID } = args.params;
        const body =
          caller.kind === 'user'
            ? await fromServers(args, (s, who) => s.allocation(allocID, args.query.task, who))
            : undefined;
        if (body === undefined) throw new Refusal(404, unknownAllocation(allocID));
        return { status: 200 as const, body };
      }
      if (
        caller.kind === 'user' &&
        !caller.acl.allowNamespaceOperation(alloc.namespace, 'read-job')
      ) {
        throw new Refusal(403, ErrorText.PermissionDenied);
      }
      const body = await allocStats(options.sampler, alloc.runner, args.query.task);
      return { status: 200 as const, body };
    },
    host: async (args) => {
      const caller = await callerOf(args);
      const nodeID = args.query.node_id;
      if (nodeID !== '' && nodeID !== options.nodeID) {
        // Another node: as Nomad's client, the servers are asked (they check node:read).
        const body =
          caller.kind === 'user'
            ? await fromServers(args, (s, who) => s.host(nodeID, who))
            : undefined;
        if (body === undefined) {
          throw new Refusal(400, `node_id ${nodeID} is not this node`);
        }
        return { status: 200 as const, body };
      }
      if (caller.kind === 'user' && !caller.acl.allowNodeRead()) {
        throw new Refusal(403, ErrorText.PermissionDenied);
      }
      return { status: 200 as const, body: options.host.collect() };
    },
  });

  await registerContractRoutes(app, clientStatsContract, router);
}
