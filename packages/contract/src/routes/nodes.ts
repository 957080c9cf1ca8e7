// The nodes API (Nomad's /v1/nodes and /v1/node/:id), route keys named after Nomad's Go api
// client (`Nodes().List`, `Info`, `Allocations`, `UpdateDrain`, `ToggleEligibility`). Node agents
// register and update nodes through their own routes. A ts-rest route has one method, so the
// writes that take POST and PUT are declared twice (`updateDrain`/`updateDrainPut`, ...).
import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { goBool, QueryOptionsSchema, queryOptionsShape, WriteOptionsSchema } from '../query.js';
import { AllocationSchema } from '../schemas/allocation.js';
import {
  NodeDrainUpdateResponseSchema,
  NodeEligibilityUpdateResponseSchema,
  NodeUpdateDrainRequestSchema,
  NodeUpdateEligibilityRequestSchema,
} from '../schemas/node-drain.js';
import { NodeListSchema } from '../schemas/node-list-stub.js';
import { NodeSchema } from '../schemas/node.js';
import { errorResponses } from './errors.js';

const c = initContract();

/** The node ID in the path; any string (the server checks it after authentication). */
export const NodeIdPathSchema = z.object({ nodeID: z.string() });

/**
 * Query of List: the shared read options, then `resources` and `os` (checked in that order, as
 * Nomad does; a bad value answers `Failed to parse value of "os" (x) as a bool: ...`).
 */
export const NodeListQuerySchema = z.object({
  ...queryOptionsShape,
  /** Include `NodeResources` and `ReservedResources` in each stub (default false). */
  resources: goBool('resources'),
  /** Include `Attributes` with `os.name` and `os.version` in each stub (default false). */
  os: goBool('os'),
});

/** Parsed nodes List query. */
export type NodeListQuery = z.infer<typeof NodeListQuerySchema>;

const updateDrain = {
  path: '/v1/node/:nodeID/drain',
  pathParams: NodeIdPathSchema,
  query: WriteOptionsSchema,
  body: NodeUpdateDrainRequestSchema,
  responses: { 200: NodeDrainUpdateResponseSchema },
} as const;

const toggleEligibility = {
  path: '/v1/node/:nodeID/eligibility',
  pathParams: NodeIdPathSchema,
  query: WriteOptionsSchema,
  body: NodeUpdateEligibilityRequestSchema,
  responses: { 200: NodeEligibilityUpdateResponseSchema },
} as const;

/** The node routes. Error answers are text (see `ErrorText`), never JSON. */
export const nodesContract = c.router(
  {
    list: {
      method: 'GET',
      path: '/v1/nodes',
      query: NodeListQuerySchema,
      responses: { 200: NodeListSchema },
      summary: 'List nodes',
      description:
        'Lists node stubs, ordered by ID; `prefix` filters on the ID; blocking query; ACL node:read.',
    },
    info: {
      method: 'GET',
      path: '/v1/node/:nodeID',
      pathParams: NodeIdPathSchema,
      query: QueryOptionsSchema,
      responses: { 200: NodeSchema },
      summary: 'Read a node',
      description:
        'Reads one node by its full ID (never its secret); blocking query; 404 `node not found`; ACL node:read.',
    },
    allocations: {
      method: 'GET',
      path: '/v1/node/:nodeID/allocations',
      pathParams: NodeIdPathSchema,
      query: QueryOptionsSchema,
      responses: { 200: z.array(AllocationSchema) },
      summary: "List a node's allocations",
      description:
        'Lists the complete allocations placed on a node; blocking query; ACL node:read and namespace:read-job.',
    },
    updateDrain: {
      method: 'POST',
      ...updateDrain,
      summary: 'Drain a node',
      description:
        "Starts, updates (`DrainSpec`) or cancels (no `DrainSpec`; `MarkEligible` makes the node eligible again) the drain of a node: its allocations migrate to other nodes at each group's `migrate.max_parallel`, those left at the deadline are stopped. ACL node:write.",
    },
    updateDrainPut: {
      method: 'PUT',
      ...updateDrain,
      summary: 'Drain a node (PUT)',
      description: 'Same as `updateDrain`.',
    },
    toggleEligibility: {
      method: 'POST',
      ...toggleEligibility,
      summary: "Set a node's scheduling eligibility",
      description:
        '`eligible` or `ineligible`; a draining node cannot be made eligible. Making a node eligible creates evaluations for the jobs on it. ACL node:write.',
    },
    toggleEligibilityPut: {
      method: 'PUT',
      ...toggleEligibility,
      summary: "Set a node's scheduling eligibility (PUT)",
      description: 'Same as `toggleEligibility`.',
    },
  },
  { commonResponses: errorResponses, strictStatusCodes: true },
);
