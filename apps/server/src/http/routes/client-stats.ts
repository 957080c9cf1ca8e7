// HTTP handlers of the statistics routes (Nomad's /v1/client/allocation/:id/stats and
// /v1/client/stats on a server): read the request, call the endpoint, which asks the node agent.
import { clientStatsContract, requestToken } from '@berth/contract';
import { initServer } from '@ts-rest/fastify';
import { allocationStats } from '../../endpoints/client-stats/alloc-stats.js';
import { hostStats } from '../../endpoints/client-stats/host-stats.js';
import type { EndpointContext } from '../../endpoints/context.js';
import { httpClientStatsRpc, type ClientStatsRpc } from '../../nodes/client-stats-rpc.js';
import { fastifyOf } from './route-args.js';

const s = initServer();

export function clientStatsRoutes(
  ctx: EndpointContext,
  rpc: ClientStatsRpc = httpClientStatsRpc(),
) {
  return s.router(clientStatsContract, {
    allocation: async (args) => {
      const { request } = fastifyOf(args);
      const body = await allocationStats(ctx, rpc, {
        token: requestToken(request.headers),
        allocID: args.params.allocID,
        task: args.query.task,
      });
      return { status: 200 as const, body };
    },
    host: async (args) => {
      const { request } = fastifyOf(args);
      const body = await hostStats(ctx, rpc, {
        token: requestToken(request.headers),
        nodeID: args.query.node_id,
      });
      return { status: 200 as const, body };
    },
  });
}
