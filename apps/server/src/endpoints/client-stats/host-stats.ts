// ClientStats.Stats (nomad/client_stats_endpoint.go, command/agent/stats_endpoint.go): a node's
// host statistics, asked of its agent. A server has no node of its own, so `node_id` is needed
// (400, before anything else, as Nomad's HTTP layer); then authenticate (403), node:read (403),
// the node (404 `Unknown node <id>`).
import { unknownNode, type HostStats } from '@berth/contract';
import type { ClientStatsRpc } from '../../nodes/client-stats-rpc.js';
import type { EndpointContext } from '../context.js';
import { badRequest, forbidden, notFound } from '../endpoint-error.js';

export interface HostStatsRequest {
  token: string;
  nodeID: string;
}

/** Nomad's text when neither a local node nor `node_id` says whom to ask. */
export const NO_NODE_ID = 'No local Node and node_id not provided';

export async function hostStats(
  ctx: EndpointContext,
  rpc: ClientStatsRpc,
  request: HostStatsRequest,
): Promise<HostStats> {
  if (request.nodeID === '') throw badRequest(NO_NODE_ID);
  const identity = ctx.acl.resolve(request.token);
  if (!identity.allowsNodeRead()) throw forbidden();
  const node = ctx.store.nodeByID(request.nodeID);
  if (!node) throw notFound(unknownNode(request.nodeID));
  return rpc.host(node);
}
