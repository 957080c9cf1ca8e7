// What a node agent asks its servers for the cluster endpoints it is asked (Nomad's client sends
// Status.Leader, Status.Peers, Region.List and Status.Members to its servers by RPC): the same
// routes of the contract over HTTP, with the caller's token and region, failing over between
// servers as the daemon's calls do. Each answer is checked against the contract's schema.
import {
  agentContract,
  NomadHeader,
  regionsContract,
  statusContract,
  type ServerMembers,
} from '@berth/contract';
import { initClient } from '@ts-rest/core';
import type { z } from 'zod';
import { ok, serverFailover, ServerCallError } from '../daemon/server-failover.js';

/** Who asks, passed on to the servers: the token (maybe '') and the region asked for. */
export interface ForwardedCaller {
  token: string;
  region: string | undefined;
}

/**
 * The servers' answers to the cluster endpoints. Each call throws a `ServerCallError`: status 0
 * when no server answers, else the server's status and text (a refusal, a fault, or 502 for an
 * answer that is not the contract's).
 */
export interface ClusterServers {
  leader(caller: ForwardedCaller): Promise<string>;
  peers(caller: ForwardedCaller): Promise<string[]>;
  regions(caller: ForwardedCaller): Promise<string[]>;
  /** Needs `node:read`, which the servers check. */
  members(caller: ForwardedCaller): Promise<ServerMembers>;
}

/** Longest wait for one server's answer before the next server is tried. */
const CALL_TIMEOUT_MS = 10_000;

function clientsOf(baseUrl: string) {
  const args = { baseUrl, baseHeaders: {} };
  return {
    status: initClient(statusContract, args),
    regions: initClient(regionsContract, args),
    agent: initClient(agentContract, args),
  };
}

/** `body` as `schema` reads it, or a 502 naming what in the server's answer is not the API's. */
function checked<S extends z.ZodTypeAny>(path: string, schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` (${issue.path.join('.')}: ${issue.message})`;
    throw new ServerCallError(502, `a server's answer to ${path} does not match the API${where}`);
  }
  return parsed.data as z.infer<S>;
}

/** The 200 body of a call to `route`, checked against the route's schema. */
function bodyOf<S extends z.ZodTypeAny>(
  route: { path: string; responses: { 200: S } },
  answer: { status: number; body: unknown },
): z.infer<S> {
  ok(answer);
  return checked(route.path, route.responses[200], answer.body);
}

/** {@link ClusterServers} over HTTP to `servers` (base URLs, at least one). */
export function httpClusterServers(servers: readonly string[]): ClusterServers {
  const call = serverFailover(servers, clientsOf);
  const options = (caller: ForwardedCaller) => ({
    query: caller.region === undefined ? {} : { region: caller.region },
    extraHeaders: caller.token === '' ? {} : { [NomadHeader.Token]: caller.token },
    fetchOptions: { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) },
  });
  return {
    leader: (caller) =>
      call(async (c) => bodyOf(statusContract.leader, await c.status.leader(options(caller)))),
    peers: (caller) =>
      call(async (c) => bodyOf(statusContract.peers, await c.status.peers(options(caller)))),
    regions: (caller) =>
      call(async (c) => bodyOf(regionsContract.list, await c.regions.list(options(caller)))),
    members: (caller) =>
      call(async (c) => bodyOf(agentContract.members, await c.agent.members(options(caller)))),
  };
}
