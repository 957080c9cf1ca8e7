// The routes node agents call (Nomad's Node.Register, Node.UpdateStatus, Node.GetClientAllocs and
// Node.UpdateAlloc RPCs, which berth carries over HTTP with Nomad's shapes). Every route but
// `register` is authenticated by the node's SecretID in X-Nomad-Token; a node acts only on itself
// and its own allocations.
import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { indexParam, waitParam } from '../query.js';
import { AllocationSchema } from '../schemas/allocation.js';
import {
  NodeAllocUpdateRequestSchema,
  NodeAllocUpdateResponseSchema,
  NodeHeartbeatRequestSchema,
  NodeRegisterRequestSchema,
  NodeUpdateResponseSchema,
} from '../schemas/node-agent.js';
import { errorResponses } from './errors.js';
import { NodeIdPathSchema } from './nodes.js';

const c = initContract();

/**
 * Query of `nodeAgent.allocations`: the blocking options only (`wait`, then `index`, with Nomad's
 * texts for bad values).
 */
export const ClientAllocationsQuerySchema = z.object({
  /** Longest time to block, in milliseconds once parsed. */
  wait: waitParam,
  /** Block until the node's allocations change past this index. */
  index: indexParam,
});

/** Parsed `nodeAgent.allocations` query. */
export type ClientAllocationsQuery = z.infer<typeof ClientAllocationsQuerySchema>;

/** The node agent routes. Error answers are text (see `ErrorText`), never JSON. */
export const nodeAgentContract = c.router(
  {
    register: {
      method: 'POST',
      path: '/v1/node/register',
      body: NodeRegisterRequestSchema,
      responses: { 200: NodeUpdateResponseSchema },
      summary: 'Register a node',
      description:
        'A node agent registers (or re-registers) its node with its SecretID, bare or as `{"Node": ...}`; a known node must present the same secret. Answers the heartbeat TTL (ns) and the indexes.',
    },
    heartbeat: {
      method: 'PUT',
      path: '/v1/node/:nodeID/heartbeat',
      pathParams: NodeIdPathSchema,
      body: NodeHeartbeatRequestSchema,
      responses: { 200: NodeUpdateResponseSchema },
      summary: 'Heartbeat a node',
      description:
        'Says the node is alive (its `Status`, default `ready`; a down node comes back ready) and restarts its TTL. X-Nomad-Token: the node SecretID.',
    },
    allocations: {
      method: 'GET',
      path: '/v1/node/:nodeID/client-allocations',
      pathParams: NodeIdPathSchema,
      query: ClientAllocationsQuerySchema,
      responses: { 200: z.array(AllocationSchema) },
      summary: "A node's allocations, for its agent",
      description:
        'Every allocation placed on the node, complete; a blocking query on `index` (X-Nomad-Index is the newest ModifyIndex among them) that the agent long-polls. X-Nomad-Token: the node SecretID.',
    },
    updateAllocations: {
      method: 'PUT',
      path: '/v1/node/:nodeID/client-allocations',
      pathParams: NodeIdPathSchema,
      body: NodeAllocUpdateRequestSchema,
      responses: { 200: NodeAllocUpdateResponseSchema },
      summary: "Report a node's allocations",
      description:
        'The agent reports the client side (ClientStatus, ClientDescription, TaskStates) of allocations on its node; a failed one may get an `alloc-failure` evaluation. X-Nomad-Token: the node SecretID.',
    },
  },
  { commonResponses: errorResponses, strictStatusCodes: true },
);
