// Forwarding of the statistics calls to node agents (Nomad's ClientAllocations.Stats and
// ClientStats.Stats, which a server forwards over the node's connection; berth calls the agent's
// HTTP API at the node's HTTPAddr, from the contract's `clientStatsContract`, with the node's
// SecretID as token). The agent's refusal passes through; an agent out of reach is Nomad's
// `No path to node`.
import {
  AllocResourceUsageSchema,
  clientStatsContract,
  ErrorText,
  HostStatsSchema,
  NomadHeader,
  type AllocResourceUsage,
  type HostStats,
  type Node,
} from '@berth/contract';
import { initClient } from '@ts-rest/core';
import type { z } from 'zod';
import { EndpointError, notFound } from '../endpoints/endpoint-error.js';
import { nodeSecret } from '../endpoints/nodes/node-auth.js';

/** The statistics calls carried out by a node agent. */
export interface ClientStatsRpc {
  allocation(node: Node, allocID: string, task: string): Promise<AllocResourceUsage>;
  host(node: Node): Promise<HostStats>;
}

export interface ClientStatsRpcOptions {
  /** Longest wait for the agent's answer (default 30 s; measuring waits a fraction of a second). */
  timeoutMs?: number;
  /** Where a failure to reach an agent is reported, with its cause (default: stderr). */
  log?: (message: string, cause: unknown) => void;
}

const DEFAULT_TIMEOUT_MS = 30_000;
type ErrorStatus = EndpointError['status'];
const PASSED_THROUGH: readonly number[] = [400, 403, 404, 405, 409, 500] satisfies ErrorStatus[];

/** The agent's base URL from the node's `HTTPAddr` (`host:port`, or a full URL). */
export function agentBaseUrl(node: Node): string | undefined {
  const addr = node.HTTPAddr.trim();
  if (addr === '') return undefined;
  try {
    const url = new URL(/^[a-z]+:\/\//i.test(addr) ? addr : `http://${addr}`);
    return url.origin;
  } catch (error) {
    if (error instanceof TypeError) return undefined;
    throw error;
  }
}

function noPath(cause?: unknown): EndpointError {
  const error = notFound(ErrorText.NoPathToNode);
  if (cause !== undefined) error.cause = cause;
  return error;
}

/** {@link ClientStatsRpc} over HTTP, with the node's SecretID. */
export function httpClientStatsRpc(options: ClientStatsRpcOptions = {}): ClientStatsRpc {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const log =
    options.log ??
    ((message: string, cause: unknown) => console.error(`server: ${message}`, cause));

  /** The agent's client for `node`; `No path to node` when it cannot have one. */
  function clientOf(node: Node) {
    // A node the servers consider gone is not tried (Nomad has no connection to it).
    if (node.Status === 'down' || node.Status === 'disconnected') throw noPath();
    const baseUrl = agentBaseUrl(node);
    if (baseUrl === undefined) throw noPath();
    return initClient(clientStatsContract, {
      baseUrl,
      baseHeaders: { [NomadHeader.Token]: nodeSecret(node) },
    });
  }

  /** The answer's body when 200 and of the contract's shape; the agent's refusal otherwise. */
  async function answer<S extends z.ZodTypeAny>(
    node: Node,
    what: string,
    schema: S,
    call: (signal: AbortSignal) => Promise<{ status: number; body: unknown }>,
  ): Promise<z.infer<S>> {
    let result: { status: number; body: unknown };
    try {
      result = await call(AbortSignal.timeout(timeoutMs));
    } catch (error) {
      log(`forwarding ${what} to node ${node.ID} at ${node.HTTPAddr} failed`, error);
      throw noPath(error);
    }
    if (result.status === 200) {
      const parsed = schema.safeParse(result.body);
      if (parsed.success) return parsed.data as z.infer<S>;
      throw new EndpointError(500, `node ${node.ID} answered ${what} with an unreadable body`);
    }
    const status = PASSED_THROUGH.includes(result.status) ? result.status : 500;
    const text = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
    throw new EndpointError(status as ErrorStatus, text);
  }

  return {
    allocation: async (node, allocID, task) => {
      const client = clientOf(node);
      return await answer(
        node,
        `the stats of allocation ${allocID}`,
        AllocResourceUsageSchema,
        (signal) =>
          client.allocation({
            params: { allocID },
            query: task === '' ? {} : { task },
            fetchOptions: { signal },
          }),
      );
    },
    host: async (node) => {
      const client = clientOf(node);
      return await answer(node, 'host stats', HostStatsSchema, (signal) =>
        client.host({ query: { node_id: node.ID }, fetchOptions: { signal } }),
      );
    },
  };
}
