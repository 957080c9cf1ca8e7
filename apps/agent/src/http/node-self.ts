// What a client-only agent says of itself (command/agent/agent_endpoint.go on a Nomad client):
// `/v1/agent/self` (its configuration with Client on and Server off, no serf member, the
// client's stats), `/v1/agent/servers` (the servers it knows) and `/v1/agent/health` (healthy
// while it knows a server; `type=server` is a server it does not run). Pure: the facts are given.
import { availableParallelism } from 'node:os';
import { formatGoDuration, type AgentHealthResponse, type AgentSelf } from '@berth/contract';

/**
 * Nomad's default RPC and gossip ports, shown as a client's configuration shows them: a node agent
 * listens on neither (it reaches its servers over HTTP), but Nomad's config always has them.
 */
const NOMAD_RPC_PORT = 4647;
const NOMAD_SERF_PORT = 4648;

/** What the agent knows of itself when asked; read at each request (the port, the heartbeats). */
export interface NodeAgentFacts {
  region: string;
  datacenter: string;
  nodeName: string;
  nodeID: string;
  nodeClass: string;
  nodePool: string;
  /** The address the HTTP API listens on. */
  bindAddr: string;
  httpPort: number;
  /** berth's version (`major.minor.patch[-prerelease][+metadata]`). */
  version: string;
  /** The servers' base URLs, as configured. */
  servers: readonly string[];
  numAllocations: number;
  /** When the last heartbeat was answered (ms since the epoch), if one was. */
  lastHeartbeatMs: number | undefined;
  /** The heartbeat TTL the servers gave (ms); 0 before the first. */
  heartbeatTtlMs: number;
  /** When the agent started (ms since the epoch). */
  startedMs: number;
  /** Whether the servers enforce ACLs, as last seen; unknown counts as on. */
  aclEnabled: boolean;
  now: number;
}

/**
 * The servers an agent knows, as Nomad's client names them: `host:port`, sorted. A berth agent
 * reaches its servers at their HTTP addresses, so those are the ports shown. An address that is
 * no HTTP URL is shown as given.
 */
export function serverAddresses(servers: readonly string[]): string[] {
  return servers
    .map((text) => {
      try {
        const url = new URL(text);
        // `host:port` without a scheme parses as a URL of scheme `host:`: shown as given.
        if (url.protocol !== 'http:' && url.protocol !== 'https:') return text;
        const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
        // `hostname` keeps an IPv6 address's brackets, as Go's JoinHostPort writes it.
        return `${url.hostname}:${port}`;
      } catch (error) {
        if (error instanceof TypeError) return text.replace(/\/+$/, '');
        throw error;
      }
    })
    .sort();
}

/** `1.2.3-beta.1+abc` as Nomad's VersionInfo splits it. */
function splitVersion(version: string) {
  const plus = version.indexOf('+');
  const core = plus === -1 ? version : version.slice(0, plus);
  const dash = core.indexOf('-');
  return {
    Version: dash === -1 ? core : core.slice(0, dash),
    VersionPrerelease: dash === -1 ? '' : core.slice(dash + 1),
    VersionMetadata: plus === -1 ? '' : version.slice(plus + 1),
  };
}

/** `/v1/agent/self` of a node agent. No secret (the node's SecretID, a token) is in it. */
export function nodeAgentSelf(facts: NodeAgentFacts): AgentSelf {
  const known = serverAddresses(facts.servers);
  // Before any heartbeat Nomad counts from Go's zero time; berth counts from its own start.
  const sinceBeat = facts.now - (facts.lastHeartbeatMs ?? facts.startedMs);
  return {
    config: {
      Region: facts.region,
      Datacenter: facts.datacenter,
      NodeName: facts.nodeName,
      BindAddr: facts.bindAddr,
      DevMode: false,
      Ports: { HTTP: facts.httpPort, RPC: NOMAD_RPC_PORT, Serf: NOMAD_SERF_PORT },
      Version: {
        // Go's zero time: berth's build does not record its date.
        BuildDate: '0001-01-01T00:00:00Z',
        Revision: '',
        ...splitVersion(facts.version),
      },
      Server: { Enabled: false },
      Client: {
        Enabled: true,
        NodeClass: facts.nodeClass,
        NodePool: facts.nodePool,
        Servers: known,
      },
      ACL: { Enabled: facts.aclEnabled },
    },
    // A client is no serf member: Nomad shows Go's zero member (no name, no address, `none`).
    member: {
      Name: '',
      Addr: '',
      Port: 0,
      Tags: {},
      Status: 'none',
      ProtocolMin: 0,
      ProtocolMax: 0,
      ProtocolCur: 0,
      DelegateMin: 0,
      DelegateMax: 0,
      DelegateCur: 0,
    },
    stats: {
      // `nomad node status -self` reads `node_id`; `nomad agent check` the heartbeat figures.
      client: {
        node_id: facts.nodeID,
        known_servers: known.join(','),
        num_allocations: String(facts.numAllocations),
        last_heartbeat: formatGoDuration(BigInt(Math.max(0, Math.round(sinceBeat))) * 1_000_000n),
        heartbeat_ttl: formatGoDuration(BigInt(Math.round(facts.heartbeatTtlMs)) * 1_000_000n),
      },
      // Nomad shows its Go runtime here; berth shows the JavaScript runtime it runs on.
      runtime: {
        arch: process.arch,
        cpu_count: String(availableParallelism()),
        'kernel.name': process.platform,
        version: process.version,
      },
    },
  };
}

/**
 * `/v1/agent/health` of a node agent: `types` as asked (`undefined`: no `type` given). The client
 * is healthy while it knows a server; a server asked for is `server not enabled`. `ok` false
 * makes the answer a 500 whose text is the health as JSON, as Nomad's.
 */
export function nodeAgentHealth(
  types: readonly string[] | undefined,
  knownServers: number,
): { ok: boolean; health: AgentHealthResponse } {
  const health: AgentHealthResponse = {};
  if (types === undefined || types.includes('client')) {
    health.client =
      knownServers > 0 ? { ok: true, message: 'ok' } : { ok: false, message: 'no known servers' };
  }
  if (types?.includes('server')) health.server = { ok: false, message: 'server not enabled' };
  const ok = (health.client?.ok ?? true) && (health.server?.ok ?? true);
  return { ok, health };
}
