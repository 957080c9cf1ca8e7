// This server as a member of its cluster, as Nomad's server shows itself (nomad/server.go's serf
// tags), and the RPC address the status and agent APIs name it by.
import type { AgentMember } from '@berth/contract';
import type { ServerSelf } from '../context.js';

/**
 * Nomad's default RPC port. berth has no RPC listener (node agents and tools reach it over HTTP),
 * but Nomad's tools expect `/v1/status/leader` to name an `ip:port` and, in `nomad server
 * members`, mark the leader by comparing it with a member's `Addr` and `Tags.port`. berth names
 * itself by its advertised IP and Nomad's default RPC port, the same in both places, so the tools
 * agree that this server is the leader and show the address a Nomad server would have.
 */
export const NOMAD_RPC_PORT = 4647;

/** Nomad's default gossip (serf) port, shown as a member's `Port`; berth speaks no gossip. */
export const NOMAD_SERF_PORT = 4648;

/** `host:port`, with an IPv6 host in brackets (Go's net.JoinHostPort). */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** This server's RPC address, `ip:port` (see {@link NOMAD_RPC_PORT}). */
export function rpcAddress(self: ServerSelf): string {
  return joinHostPort(self.advertiseAddr, NOMAD_RPC_PORT);
}

/** This server's member entry: alive, named `<name>.<region>`, with Nomad's server tags. */
export function serverMember(self: ServerSelf): AgentMember {
  return {
    Name: `${self.nodeName}.${self.region}`,
    Addr: self.advertiseAddr,
    Port: NOMAD_SERF_PORT,
    Tags: {
      role: 'nomad',
      region: self.region,
      dc: self.datacenter,
      build: self.version,
      port: String(NOMAD_RPC_PORT),
      rpc_addr: self.advertiseAddr,
      // One server: it bootstraps alone, expecting no other.
      bootstrap: '1',
      expect: '1',
    },
    Status: 'alive',
    // No gossip protocol is spoken, so no version of it.
    ProtocolMin: 0,
    ProtocolMax: 0,
    ProtocolCur: 0,
    DelegateMin: 0,
    DelegateMax: 0,
    DelegateCur: 0,
  };
}
