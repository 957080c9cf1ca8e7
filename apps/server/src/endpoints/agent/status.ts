// Status.Leader, Status.Peers and Region.List (nomad/status_endpoint.go, regions_endpoint.go):
// berth runs one server per region, which is always its leader. No ACL: Nomad authenticates these
// calls only to count them, and ignores a bad token.
import { serverSelf, type EndpointContext } from '../context.js';
import { rpcAddress } from './member.js';

/** The leader's RPC address: this server's. */
export function statusLeader(ctx: EndpointContext): string {
  return rpcAddress(serverSelf(ctx));
}

/** The RPC addresses of the region's servers: this one. */
export function statusPeers(ctx: EndpointContext): string[] {
  return [rpcAddress(serverSelf(ctx))];
}

/** The known regions, sorted: this server's. */
export function listRegions(ctx: EndpointContext): string[] {
  return [serverSelf(ctx).region];
}
