// The ServerApi over HTTP: a ts-rest client of the contract's node agent routes
// (`contract.nodeAgent`), authenticated by the node's SecretID in X-Nomad-Token (registration: by
// the token it is given). Tries each server address in turn when one cannot be reached.
import { contract, NomadHeader } from '@berth/contract';
import { initClient } from '@ts-rest/core';
import type { HeartbeatAnswer, ServerApi } from './server-api.js';
import { ok, serverFailover } from './server-failover.js';

export { ServerCallError } from './server-failover.js';

const DEFAULT_TTL_MS = 10_000;

/** Go durations travel as nanoseconds. */
function ttlOf(body: { HeartbeatTTL: number }): HeartbeatAnswer {
  return { heartbeatTTLMs: body.HeartbeatTTL > 0 ? body.HeartbeatTTL / 1e6 : DEFAULT_TTL_MS };
}

function clientOf(baseUrl: string) {
  return initClient(contract.nodeAgent, { baseUrl, baseHeaders: {} });
}

export function httpServerApi(servers: readonly string[]): ServerApi {
  const call = serverFailover(servers, clientOf);
  const auth = (token: string) => ({ [NomadHeader.Token]: token });

  return {
    register: (node, token) =>
      call(async (c) =>
        ttlOf(ok(await c.register({ body: { Node: node }, extraHeaders: auth(token) })).body),
      ),
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
