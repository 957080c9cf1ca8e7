// The ServerApi over HTTP: the node routes of the contract (`contract.nodeAgent`), authenticated by
// the node's SecretID in X-Nomad-Token. Tries each server address in turn.
import { AllocationSchema, type Allocation, type NodeRegistration } from '@berth/contract';
import { z } from 'zod';
import type {
  ClientAllocUpdate,
  HeartbeatAnswer,
  NodeAllocations,
  ServerApi,
} from './server-api.js';

/** A server's answer that was not a success; `status` 0 when it could not be reached. */
export class ServerCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const DEFAULT_TTL_MS = 10_000;

/** Go durations travel as nanoseconds. */
function ttlOf(body: unknown): HeartbeatAnswer {
  const ttl = (body as { HeartbeatTTL?: unknown } | null)?.HeartbeatTTL;
  return { heartbeatTTLMs: typeof ttl === 'number' && ttl > 0 ? ttl / 1e6 : DEFAULT_TTL_MS };
}

const AllocListSchema = z.array(AllocationSchema);

export function httpServerApi(
  servers: readonly string[],
  fetchImpl: typeof fetch = fetch,
): ServerApi {
  if (servers.length === 0) throw new Error('at least one server address is needed');
  let current = 0;

  async function call(
    method: string,
    path: string,
    secretID: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<{ body: unknown; headers: Headers }> {
    let lastError: unknown;
    for (let tried = 0; tried < servers.length; tried++) {
      const base = servers[current]!.replace(/\/+$/, '');
      try {
        const res = await fetchImpl(base + path, {
          method,
          headers: {
            'X-Nomad-Token': secretID,
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal,
        });
        const text = await res.text();
        if (!res.ok) throw new ServerCallError(res.status, text.trim() || res.statusText);
        return { body: text === '' ? null : (JSON.parse(text) as unknown), headers: res.headers };
      } catch (error) {
        if (error instanceof ServerCallError || signal?.aborted) throw error;
        // Unreachable: try the next server.
        lastError = error;
        current = (current + 1) % servers.length;
      }
    }
    throw new ServerCallError(0, `no server reachable: ${String(lastError)}`);
  }

  return {
    async register(node: NodeRegistration) {
      const { body } = await call('POST', '/v1/node/register', node.SecretID, { Node: node });
      return ttlOf(body);
    },
    async heartbeat(nodeID, secretID) {
      const { body } = await call(
        'PUT',
        `/v1/node/${encodeURIComponent(nodeID)}/heartbeat`,
        secretID,
        { NodeID: nodeID, Status: 'ready' },
      );
      return ttlOf(body);
    },
    async allocations(nodeID, secretID, options): Promise<NodeAllocations> {
      const query = new URLSearchParams({
        index: String(options.index),
        wait: `${Math.ceil(options.waitMs / 1000)}s`,
      });
      const { body, headers } = await call(
        'GET',
        `/v1/node/${encodeURIComponent(nodeID)}/client-allocations?${query.toString()}`,
        secretID,
        undefined,
        options.signal,
      );
      const list = Array.isArray(body) ? body : (body as { Allocs?: unknown } | null)?.Allocs;
      const allocs: Allocation[] = AllocListSchema.parse(list ?? []);
      const index = Number(
        headers.get('X-Nomad-Index') ?? (body as { Index?: number })?.Index ?? 0,
      );
      return { allocs, index: Number.isFinite(index) ? index : 0 };
    },
    async updateAllocations(nodeID, secretID, updates: ClientAllocUpdate[]) {
      await call('PUT', `/v1/node/${encodeURIComponent(nodeID)}/client-allocations`, secretID, {
        Alloc: updates,
      });
    },
  };
}
