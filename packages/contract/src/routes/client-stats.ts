// Resource statistics measured by a node (Nomad's /v1/client/allocation/:id/stats and
// /v1/client/stats, command/agent/alloc_endpoint.go and stats_endpoint.go). A node agent answers
// them for itself; a server forwards them to the node that runs the allocation, or to the node
// named by `node_id`.
import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { queryOptionsShape, queryParam } from '../query.js';
import { AllocResourceUsageSchema, HostStatsSchema } from '../schemas/client-stats.js';
import { AllocIdPathSchema } from './allocations.js';
import { errorResponses } from './errors.js';

const c = initContract();

/** A text parameter; absent or empty is `''`. */
const textParam = queryParam<string, string>((raw) => raw ?? '');

/** Query of `clientStats.allocation`: the read options and `task`. */
export const AllocStatsQuerySchema = z.object({
  ...queryOptionsShape,
  /** Only this task's use ('' for every task). */
  task: textParam,
});

/** Parsed `clientStats.allocation` query. */
export type AllocStatsQuery = z.infer<typeof AllocStatsQuerySchema>;

/** Query of `clientStats.host`: the read options and `node_id`. */
export const HostStatsQuerySchema = z.object({
  ...queryOptionsShape,
  /** The node to ask ('' on a node agent: itself; a server needs one). */
  node_id: textParam,
});

/** Parsed `clientStats.host` query. */
export type HostStatsQuery = z.infer<typeof HostStatsQuerySchema>;

/** The resource statistics routes. Error answers are text (see `ErrorText`), never JSON. */
export const clientStatsContract = c.router(
  {
    allocation: {
      method: 'GET',
      path: '/v1/client/allocation/:allocID/stats',
      pathParams: AllocIdPathSchema,
      query: AllocStatsQuerySchema,
      responses: { 200: AllocResourceUsageSchema },
      summary: "An allocation's resource usage",
      description:
        "Memory and CPU use of each task of the allocation and in total, measured by the node that runs it from each task's process group. ACL namespace:read-job.",
    },
    host: {
      method: 'GET',
      path: '/v1/client/stats',
      query: HostStatsQuerySchema,
      responses: { 200: HostStatsSchema },
      summary: "A node's host statistics",
      description:
        "The host's memory, CPUs, disks and uptime, measured by the node (on a server, the node named by `node_id`). ACL node:read.",
    },
  },
  { commonResponses: errorResponses, strictStatusCodes: true },
);
