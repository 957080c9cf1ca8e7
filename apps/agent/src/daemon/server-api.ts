// What the agent asks of the servers (Nomad's Node.Register, Node.UpdateStatus heartbeats,
// Node.GetClientAllocs and Node.UpdateAlloc RPCs), behind one interface so the daemon does not
// care how they travel.
import type { Allocation, ClientAllocUpdate, NodeRegistration } from '@berth/contract';

export type { ClientAllocUpdate };

export interface HeartbeatAnswer {
  /** How long the server waits for the next heartbeat before marking the node down. */
  heartbeatTTLMs: number;
}

export interface NodeAllocations {
  allocs: Allocation[];
  /** The index to block on next. */
  index: number;
}

export interface ServerApi {
  /**
   * Registers (or re-registers) the node, authenticated by `token`: an operator's token with
   * `node:write` (Nomad's introduction token) or the node's own SecretID.
   */
  register(node: NodeRegistration, token: string): Promise<HeartbeatAnswer>;
  /** Says the node is alive (and `ready`). */
  heartbeat(nodeID: string, secretID: string): Promise<HeartbeatAnswer>;
  /** The node's allocations, once their index passes `index` (a blocking query). */
  allocations(
    nodeID: string,
    secretID: string,
    options: { index: number; waitMs: number; signal?: AbortSignal },
  ): Promise<NodeAllocations>;
  updateAllocations(nodeID: string, secretID: string, updates: ClientAllocUpdate[]): Promise<void>;
}
