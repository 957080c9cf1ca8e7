// The ServerApi over HTTP: a ts-rest client of the contract's node agent routes
// (`contract.nodeAgent`), authenticated by the node's SecretID in X-Nomad-Token. Tries each
// server address in turn when one cannot be reached.
import { contract, NomadHeader } from '@berth/contract';
import { initClient } from '@ts-rest/core';
import type { HeartbeatAnswer, ServerApi } from './server-api.js';

/** A server's answer that was not a success; `status` 0 when no server could be reached. */
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
function ttlOf(body: { HeartbeatTTL: number }): HeartbeatAnswer {
  return { heartbeatTTLMs: body.HeartbeatTTL > 0 ? body.HeartbeatTTL / 1e6 : DEFAULT_TTL_MS };
}

function clientOf(address: string) {
  return initClient(contract.nodeAgent, {
    baseUrl: address.replace(/\/+$/, ''),
    baseHeaders: {},
  });
}

type Answer = { status: number; body: unknown; headers: Headers };

function ok<T extends Answer>(answer: T): Extract<T, { status: 200 }> {
  if (answer.status !== 200) {
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    throw new ServerCallError(answer.status, text.trim());
  }
  return answer as Extract<T, { status: 200 }>;
}

export function httpServerApi(servers: readonly string[]): ServerApi {
  if (servers.length === 0) throw new Error('at least one server address is needed');
  const clients = servers.map(clientOf);
  let current = 0;

  /** Runs a call on the current server, moving on to the next when it cannot be reached. */
  async function call<T>(
    run: (client: ReturnType<typeof clientOf>) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    let lastError: unknown;
    for (let tried = 0; tried < clients.length; tried++) {
      try {
        return await run(clients[current]!);
      } catch (error) {
        if (error instanceof ServerCallError || signal?.aborted) throw error;
        lastError = error;
        current = (current + 1) % clients.length;
      }
    }
    throw new ServerCallError(0, `no server reachable: ${String(lastError)}`);
  }

  const auth = (secretID: string) => ({ [NomadHeader.Token]: secretID });

  return {
    register: (node) =>
      call(async (c) => ttlOf(ok(await c.register({ body: { Node: node } })).body)),
    heartbeat: (nodeID, secretID) =>
      call(async (c) =>
        ttlOf(
          ok(
            await c.heartbeat({
              params: { nodeID },
              body: { Status: 'ready' },
              extraHeaders: auth(secretID),
            }),
          ).body,
        ),
      ),
    allocations: (nodeID, secretID, { index, waitMs, signal }) =>
      call(async (c) => {
        const answer = ok(
          await c.allocations({
            params: { nodeID },
            query: { index: String(index), wait: `${Math.max(1, Math.ceil(waitMs))}ms` },
            extraHeaders: auth(secretID),
            fetchOptions: signal ? { signal } : {},
          }),
        );
        const at = Number(answer.headers.get(NomadHeader.Index) ?? 0);
        return { allocs: answer.body, index: Number.isFinite(at) ? at : 0 };
      }, signal),
    updateAllocations: (nodeID, secretID, updates) =>
      call(async (c) => {
        ok(
          await c.updateAllocations({
            params: { nodeID },
            body: { Allocs: updates },
            extraHeaders: auth(secretID),
          }),
        );
      }),
  };
}
