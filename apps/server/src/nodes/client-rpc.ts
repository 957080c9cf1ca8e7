// How a server reaches the node agent that runs an allocation, for the calls that act on running
// tasks (signal, restart). `httpClientRpc` (http-client-rpc.ts) calls the agent with a client of the
// contract router it serves; `noNodeConnections` answers every call as Nomad does when no server
// holds a connection to the node.
import { ErrorText, type Allocation, type Node } from '@berth/contract';
import { notFound } from '../endpoints/endpoint-error.js';

/** A signal for the tasks of one allocation. */
export interface SignalRequest {
  alloc: Allocation;
  /** One task, or '' for every task. */
  task: string;
  signal: string;
}

/** A restart of the tasks of one allocation. */
export interface RestartRequest {
  alloc: Allocation;
  /** One task, or '' for the running tasks (or all tasks with `allTasks`). */
  taskName: string;
  allTasks: boolean;
}

/** Calls carried out by the node agent that runs the allocation; they resolve once done. */
export interface ClientRpc {
  signal(node: Node, request: SignalRequest): Promise<void>;
  restart(node: Node, request: RestartRequest): Promise<void>;
}

/** No node agent can be reached: `404 No path to node`. */
export const noNodeConnections: ClientRpc = {
  signal: () => Promise.reject(notFound(ErrorText.NoPathToNode)),
  restart: () => Promise.reject(notFound(ErrorText.NoPathToNode)),
};
