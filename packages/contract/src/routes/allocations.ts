// The allocations API (Nomad's /v1/allocations, /v1/allocation/:id, /v1/client/allocation/:id),
// route keys named after Nomad's Go api client. A ts-rest route has one method, so the endpoints
// that take POST and PUT are declared twice (`stop`/`stopPut`, ...) and share one handler.
import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { AllocListSchema } from '../schemas/alloc-list-stub.js';
import { AllocationSchema } from '../schemas/allocation.js';
import { AllocRestartRequestSchema, AllocSignalRequestSchema } from '../schemas/requests.js';
import { AllocStopResponseSchema, GenericResponseSchema } from '../schemas/responses.js';
import { goBool, QueryOptionsSchema, queryOptionsShape, writeOptionsShape } from '../query.js';
import { errorResponses } from './errors.js';

const c = initContract();

/**
 * The allocation ID in the path. Deliberately any string: the server checks IDs in its lookup
 * layer, after authentication, so that the order of checks (403, then 400/404) is Nomad's.
 */
export const AllocIdPathSchema = z.object({ allocID: z.string() });

/**
 * Query of List: the shared options, then `resources` and `task_states` (checked after them, so a
 * bad `wait` wins over a bad `resources`, as in Nomad).
 */
export const AllocListQuerySchema = z.object({
  ...queryOptionsShape,
  /** Include `AllocatedResources` in each stub (default false). */
  resources: goBool('resources'),
  /** Include `TaskStates` in each stub (default true). */
  task_states: goBool('task_states'),
});

/** Parsed List query. */
export type AllocListQuery = z.infer<typeof AllocListQuerySchema>;

/**
 * Query of Stop: `no_shutdown_delay` and `reschedule` first (as Nomad parses them), then the write
 * options. Read options such as `wait` and `index` are not part of it and are ignored.
 */
export const AllocStopQuerySchema = z.object({
  /** Skip the group's shutdown delay. */
  no_shutdown_delay: goBool('no_shutdown_delay'),
  /** Mark the allocation for rescheduling (a replacement is placed). */
  reschedule: goBool('reschedule'),
  ...writeOptionsShape,
});

/** Parsed Stop query. */
export type AllocStopQuery = z.infer<typeof AllocStopQuerySchema>;

/**
 * The routes the node agent serves itself (Nomad's client endpoints): signal and restart of the
 * tasks of an allocation it runs. The servers serve them too (they forward the call to the node),
 * so these route objects are also part of {@link allocationsContract}; the agent implements this
 * router in full, and the servers call the agent with a client of it.
 */
export const clientAllocationsContract = c.router(
  {
    signal: {
      method: 'POST',
      path: '/v1/client/allocation/:allocID/signal',
      pathParams: AllocIdPathSchema,
      query: QueryOptionsSchema,
      body: AllocSignalRequestSchema,
      responses: { 200: GenericResponseSchema },
      summary: 'Signal an allocation',
      description:
        'Sends a signal to one task or every task of the allocation, through its node agent. ACL namespace:alloc-lifecycle.',
    },
    signalPut: {
      method: 'PUT',
      path: '/v1/client/allocation/:allocID/signal',
      pathParams: AllocIdPathSchema,
      query: QueryOptionsSchema,
      body: AllocSignalRequestSchema,
      responses: { 200: GenericResponseSchema },
      summary: 'Signal an allocation (PUT)',
      description: 'Same as `signal`.',
    },
    restart: {
      method: 'POST',
      path: '/v1/client/allocation/:allocID/restart',
      pathParams: AllocIdPathSchema,
      query: QueryOptionsSchema,
      body: AllocRestartRequestSchema,
      responses: { 200: GenericResponseSchema },
      summary: 'Restart an allocation',
      description:
        'Restarts one task, the running tasks, or all tasks in place, bypassing the restart policy. ACL namespace:alloc-lifecycle.',
    },
    restartPut: {
      method: 'PUT',
      path: '/v1/client/allocation/:allocID/restart',
      pathParams: AllocIdPathSchema,
      query: QueryOptionsSchema,
      body: AllocRestartRequestSchema,
      responses: { 200: GenericResponseSchema },
      summary: 'Restart an allocation (PUT)',
      description: 'Same as `restart`.',
    },
  },
  { commonResponses: errorResponses, strictStatusCodes: true },
);

/**
 * The allocation routes. Error answers are text (see `ErrorText`), never JSON. The client routes
 * are the very objects of {@link clientAllocationsContract}, declared once.
 */
export const allocationsContract = {
  ...c.router(
    {
      list: {
        method: 'GET',
        path: '/v1/allocations',
        query: AllocListQuerySchema,
        responses: { 200: AllocListSchema },
        summary: 'List allocations',
        description:
          'Lists allocation stubs of a namespace (`*` for all), oldest first; blocking query; ACL namespace:read-job.',
      },
      info: {
        method: 'GET',
        path: '/v1/allocation/:allocID',
        pathParams: AllocIdPathSchema,
        query: QueryOptionsSchema,
        responses: { 200: AllocationSchema },
        summary: 'Read an allocation',
        description:
          'Reads one allocation by its full ID; blocking query; 404 `alloc not found`; ACL namespace:read-job.',
      },
      stop: {
        method: 'POST',
        path: '/v1/allocation/:allocID/stop',
        pathParams: AllocIdPathSchema,
        query: AllocStopQuerySchema,
        body: c.noBody(),
        responses: { 200: AllocStopResponseSchema },
        summary: 'Stop an allocation',
        description:
          'Creates an evaluation that stops (and normally replaces) the allocation; answers its ID and index. ACL namespace:alloc-lifecycle.',
      },
      stopPut: {
        method: 'PUT',
        path: '/v1/allocation/:allocID/stop',
        pathParams: AllocIdPathSchema,
        query: AllocStopQuerySchema,
        body: c.noBody(),
        responses: { 200: AllocStopResponseSchema },
        summary: 'Stop an allocation (PUT)',
        description: 'Same as `stop`.',
      },
    },
    { commonResponses: errorResponses, strictStatusCodes: true },
  ),
  ...clientAllocationsContract,
};
