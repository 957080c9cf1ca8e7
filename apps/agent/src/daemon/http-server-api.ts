// The ServerApi over HTTP: a ts-rest client of the contract's node agent routes
// (`contract.nodeAgent`), authenticated by the node's SecretID in X-Nomad-Token (registration: by
// the token it is given). Tries each server address in turn when one cannot be reached, or does
// not answer in time; a caller's signal (the agent stopping) ends any call at once.
import { contract, NomadHeader } from '@berth/contract';
import { initClient } from '@ts-rest/core';
import type { HeartbeatAnswer, ServerApi } from './server-api.js';
import { ownedConnections } from './owned-connections.js';
import { ok, serverFailover } from './server-failover.js';

export { ServerCallError } from './server-failover.js';

const DEFAULT_TTL_MS = 10_000;

/**
 * How long a server has to answer a call, beyond a long-poll's own wait: past it the server
 * counts as unreachable and the next one is tried (a server that accepts connections but no
 * longer answers would otherwise hold a heartbeat or an update for minutes).
 */
export const ANSWER_TIMEOUT_MS = 10_000;

/** The most a blocking query may wait past its `wait` (the servers' jitter is below wait/16). */
const jitterOf = (waitMs: number) => Math.ceil(waitMs / 16);

/** Go durations travel as nanoseconds. */
function ttlOf(body: { HeartbeatTTL: number }): HeartbeatAnswer {
  return { heartbeatTTLMs: body.HeartbeatTTL > 0 ? body.HeartbeatTTL / 1e6 : DEFAULT_TTL_MS };
}

export interface HttpServerApiOptions {
  /** How long a server has to answer beyond a long-poll's wait (default {@link ANSWER_TIMEOUT_MS}). */
  answerTimeoutMs?: number;
}

export function httpServerApi(
  servers: readonly string[],
  { answerTimeoutMs = ANSWER_TIMEOUT_MS }: HttpServerApiOptions = {},
): ServerApi {
  const connections = ownedConnections();
  const call = serverFailover(servers, (baseUrl) =>
    initClient(contract.nodeAgent, { baseUrl, baseHeaders: {}, api: connections.api }),
  );
  const auth = (token: string) => ({ [NomadHeader.Token]: token });

  return {
    register: (node, token, options = {}) =>
      call(
        async (c, signal) =>
          ttlOf(
            ok(
              await c.register({
                body: { Node: node },
                extraHeaders: auth(token),
                fetchOptions: { signal },
              }),
            ).body,
          ),
        options.signal,
        answerTimeoutMs,
      ),
    heartbeat: (nodeID, secretID, options = {}) =>
      call(
        async (c, signal) =>
          ttlOf(
            ok(
              await c.heartbeat({
                params: { nodeID },
                body: { Status: 'ready' },
                extraHeaders: auth(secretID),
                fetchOptions: { signal },
              }),
            ).body,
          ),
        options.signal,
        answerTimeoutMs,
      ),
    allocations: (nodeID, secretID, { index, waitMs, signal }) => {
      const wait = Math.max(1, Math.ceil(waitMs));
      return call(
        async (c, attempt) => {
          const answer = ok(
            await c.allocations({
              params: { nodeID },
              query: { index: String(index), wait: `${wait}ms` },
              extraHeaders: auth(secretID),
              fetchOptions: { signal: attempt },
            }),
          );
          const at = Number(answer.headers.get(NomadHeader.Index) ?? 0);
          return { allocs: answer.body, index: Number.isFinite(at) ? at : 0 };
        },
        signal,
        wait + jitterOf(wait) + answerTimeoutMs,
      );
    },
    updateAllocations: (nodeID, secretID, updates, options = {}) =>
      call(
        async (c, signal) => {
          ok(
            await c.updateAllocations({
              params: { nodeID },
              body: { Allocs: updates },
              extraHeaders: auth(secretID),
              fetchOptions: { signal },
            }),
          );
        },
        options.signal,
        answerTimeoutMs,
      ),
    close: () => connections.close(),
  };
}
