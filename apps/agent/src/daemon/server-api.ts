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

/** What every call takes: a signal that ends it at once (the agent stopping). */
export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * Every call ends promptly once its `signal` is aborted, and fails (status 0) when no server
 * answers in time, so that neither a stopping agent nor a dead server holds a loop up for long.
 */
export interface ServerApi {
  /**
   * Registers (or re-registers) the node, authenticated by `token`: an operator's token with
   * `node:write` (Nomad's introduction token) or the node's own SecretID.
   */
  register(node: NodeRegistration, token: string, options?: CallOptions): Promise<HeartbeatAnswer>;
  /** Says the node is alive (and `ready`). */
  heartbeat(nodeID: string, secretID: string, options?: CallOptions): Promise<HeartbeatAnswer>;
  /** The node's allocations, once their index passes `index` (a blocking query). */
  allocations(
    nodeID: string,
    secretID: string,
    options: CallOptions & { index: number; waitMs: number },
  ): Promise<NodeAllocations>;
  updateAllocations(
    nodeID: string,
    secretID: string,
    updates: ClientAllocUpdate[],
    options?: CallOptions,
  ): Promise<void>;
  /** Ends the connections the calls used; called once, by a daemon that has stopped. */
  close?(): void;
}
