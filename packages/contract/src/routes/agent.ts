// The cluster and agent API: Nomad's /v1/status/{leader,peers}, /v1/regions and /v1/agent/{self,
// members,servers,health}. Route keys follow Nomad's Go api client (`Status().Leader`, `Peers`,
// `Regions().List`, `Agent().Self`, `Members`, `Servers`, `Health`).
import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { queryOptionsShape, QueryOptionsSchema } from '../query.js';
import {
  AgentHealthResponseSchema,
  AgentSelfSchema,
  ServerMembersSchema,
} from '../schemas/agent.js';
import { errorResponses } from './errors.js';

const c = initContract();

/** The `type` values of a health check: `client`, `server`, repeated, or anything else. */
const healthTypesParam = z.unknown().transform((value): string[] | undefined => {
  if (value === undefined || value === null) return undefined;
  const values: unknown[] = Array.isArray(value) ? value : [value];
  // Nomad reads every value of `type`; only `client` and `server` mean anything.
  return values.filter((v): v is string => typeof v === 'string');
}) as unknown as z.ZodType<string[] | undefined, z.ZodTypeDef, string | string[] | undefined>;

/** The query of `agent.health`: the read options and `type` (which halves to check). */
export const AgentHealthQuerySchema = z.object({ ...queryOptionsShape, type: healthTypesParam });

const options = { commonResponses: errorResponses, strictStatusCodes: true } as const;

/** Nomad's status routes: where the leader is and who the peers are. */
export const statusContract = c.router(
  {
    leader: {
      method: 'GET',
      path: '/v1/status/leader',
      query: QueryOptionsSchema,
      responses: { 200: z.string() },
      summary: "The leader's address",
      description:
        "The RPC address (`ip:port`) of the region's leader, as a JSON string. No ACL needed.",
    },
    peers: {
      method: 'GET',
      path: '/v1/status/peers',
      query: QueryOptionsSchema,
      responses: { 200: z.array(z.string()) },
      summary: 'The Raft peers',
      description: "The RPC addresses (`ip:port`) of the region's servers. No ACL needed.",
    },
  },
  options,
);

/** Nomad's regions route. */
export const regionsContract = c.router(
  {
    list: {
      method: 'GET',
      path: '/v1/regions',
      query: QueryOptionsSchema,
      responses: { 200: z.array(z.string()) },
      summary: 'List regions',
      description: 'The names of the known regions, sorted. No ACL needed.',
    },
  },
  options,
);

/** Nomad's agent routes (the answering agent's own view). */
export const agentContract = c.router(
  {
    self: {
      method: 'GET',
      path: '/v1/agent/self',
      responses: { 200: AgentSelfSchema },
      summary: 'The agent itself',
      description:
        "The agent's configuration (never a secret), its member entry and its statistics. ACL agent:read.",
    },
    members: {
      method: 'GET',
      path: '/v1/agent/members',
      query: QueryOptionsSchema,
      responses: { 200: ServerMembersSchema },
      summary: "The region's servers",
      description: 'The answering server and the server members it knows. ACL node:read.',
    },
    servers: {
      method: 'GET',
      path: '/v1/agent/servers',
      responses: { 200: z.array(z.string()) },
      summary: 'The servers a node agent uses',
      description: 'The RPC addresses (`host:port`) of the known servers, sorted. ACL agent:read.',
    },
    health: {
      method: 'GET',
      path: '/v1/agent/health',
      query: AgentHealthQuerySchema,
      responses: { 200: AgentHealthResponseSchema },
      summary: "The agent's health",
      description:
        "The server's and, when this process runs one, the node agent's health. `type=client` or `type=server` (repeatable) asks for those only; one asked for but not run makes the answer 500 with the health as JSON text, as Nomad's. No ACL needed.",
    },
  },
  options,
);
