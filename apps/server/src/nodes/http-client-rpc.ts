// Forwarding of client calls to node agents (Nomad's ClientAllocations.Signal/Restart, which a
// server forwards over the node's connection; berth calls the agent's HTTP API instead): the
// contract's `clientAllocationsContract`, which the agent serves, called with a ts-rest client
// (agent-client.ts). The agent's answer is passed through: its status and text become the caller's.
import { clientAllocationsContract } from '@berth/contract';
import { agentClients, type AgentClientOptions } from './agent-client.js';
import type { ClientRpc } from './client-rpc.js';

/** How long forwarding may take, and where failures to reach an agent are reported. */
export type HttpClientRpcOptions = AgentClientOptions;

/** Calls the node agents over HTTP, authenticated with the node's SecretID. */
export function httpClientRpc(options: HttpClientRpcOptions = {}): ClientRpc {
  const agents = agentClients(options);
  const allocation = (id: string) => ({ allocID: encodeURIComponent(id) });

  return {
    signal: async (node, { alloc, task, signal }) => {
      await agents.call(node, clientAllocationsContract, `signal of allocation ${alloc.ID}`, (c) =>
        c.signal({ params: allocation(alloc.ID), body: { Task: task, Signal: signal } }),
      );
    },
    restart: async (node, { alloc, taskName, allTasks }) => {
      await agents.call(node, clientAllocationsContract, `restart of allocation ${alloc.ID}`, (c) =>
        c.restart({
          params: allocation(alloc.ID),
          body: { TaskName: taskName, AllTasks: allTasks },
        }),
      );
    },
  };
}
