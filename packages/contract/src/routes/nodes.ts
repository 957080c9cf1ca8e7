// The nodes API, read side (Nomad's /v1/nodes and /v1/node/:id), route keys named after Nomad's
// Go api client (`Nodes().List`, `Info`, `Allocations`). Node agents register and update nodes
// through their own routes.
import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { goBool, QueryOptionsSchema, queryOptionsShape } from '../query.js';
import { AllocationSchema } from '../schemas/allocation.js';
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
  },
  { commonResponses: errorResponses, strictStatusCodes: true },
);
