// Forwarding of the statistics calls to node agents (Nomad's ClientAllocations.Stats and
// ClientStats.Stats, which a server forwards over the node's connection), through the agent
// clients of `agent-client.ts` over the contract's `clientStatsContract`.
import {
  clientStatsContract,
  type AllocResourceUsage,
  type HostStats,
  type Node,
} from '@berth/contract';
import { agentClients, type AgentClientOptions } from './agent-client.js';

/** The statistics calls carried out by a node agent. */
export interface ClientStatsRpc {
  allocation(node: Node, allocID: string, task: string): Promise<AllocResourceUsage>;
  host(node: Node): Promise<HostStats>;
}

/** Measuring waits a fraction of a second: an agent silent for 30 s is not coming back. */
const DEFAULT_TIMEOUT_MS = 30_000;

/** {@link ClientStatsRpc} over the agent's HTTP API, with the node's SecretID. */
export function httpClientStatsRpc(options: AgentClientOptions = {}): ClientStatsRpc {
  const agents = agentClients({ timeoutMs: DEFAULT_TIMEOUT_MS, ...options });
  return {
    allocation: (node, allocID, task) =>
      agents.call(node, clientStatsContract, `the stats of allocation ${allocID}`, (client) =>
        client.allocation({
          params: { allocID: encodeURIComponent(allocID) },
          query: task === '' ? {} : { task },
        }),
      ),
    host: (node) =>
      agents.call(node, clientStatsContract, 'host stats', (client) =>
        client.host({ query: { node_id: node.ID } }),
      ),
  };
}
