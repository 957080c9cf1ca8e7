// Statistics this node cannot measure itself, asked of its servers (Nomad's client sends
// ClientAllocations.Stats and ClientStats.Stats to its servers when the allocation or node is not
// its own): the same contract routes over HTTP with the caller's token and region, failing over
// between servers. The servers check the token and forward to the node that can answer.
import {
  AllocResourceUsageSchema,
  clientStatsContract,
  HostStatsSchema,
  NomadHeader,
  type AllocResourceUsage,
  type HostStats,
} from '@berth/contract';
import { initClient } from '@ts-rest/core';
import type { z } from 'zod';
import { ok, serverFailover, ServerCallError } from '../daemon/server-failover.js';
import type { ForwardedCaller } from './cluster-servers.js';

/**
 * The servers' answers. Each call throws a `ServerCallError`: status 0 when no server answers,
 * else the server's status and text (502 for an answer that is not the contract's).
 */
export interface StatsServers {
  allocation(allocID: string, task: string, caller: ForwardedCaller): Promise<AllocResourceUsage>;
  host(nodeID: string, caller: ForwardedCaller): Promise<HostStats>;
}

/** Longest wait for one server's answer (it forwards to a node, which may sample 0.3 s). */
const CALL_TIMEOUT_MS = 30_000;

function checked<S extends z.ZodTypeAny>(path: string, schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ServerCallError(502, `a server's answer to ${path} does not match the API`);
  }
  return parsed.data as z.infer<S>;
}

/** {@link StatsServers} over HTTP to `servers` (base URLs, at least one). */
export function httpStatsServers(servers: readonly string[]): StatsServers {
  const call = serverFailover(servers, (baseUrl) =>
    initClient(clientStatsContract, { baseUrl, baseHeaders: {} }),
  );
  const headers = (caller: ForwardedCaller) =>
    caller.token === '' ? {} : { [NomadHeader.Token]: caller.token };
  const region = (caller: ForwardedCaller) =>
    caller.region === undefined ? {} : { region: caller.region };
  return {
    allocation: (allocID, task, caller) =>
      call(
        async (c, signal) => {
          const answer = await c.allocation({
            params: { allocID },
            query: { ...region(caller), ...(task === '' ? {} : { task }) },
            extraHeaders: headers(caller),
            fetchOptions: { signal },
          });
          return checked(
            clientStatsContract.allocation.path,
            AllocResourceUsageSchema,
            ok(answer).body,
          );
        },
        undefined,
        CALL_TIMEOUT_MS,
      ),
    host: (nodeID, caller) =>
      call(
        async (c, signal) => {
          const answer = await c.host({
            query: { ...region(caller), node_id: nodeID },
            extraHeaders: headers(caller),
            fetchOptions: { signal },
          });
          return checked(clientStatsContract.host.path, HostStatsSchema, ok(answer).body);
        },
        undefined,
        CALL_TIMEOUT_MS,
      ),
  };
}
