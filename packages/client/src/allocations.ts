// The allocations API of the client (Nomad's Go api `Allocations()`).
import {
  AllocListSchema,
  AllocResourceUsageSchema,
  AllocationSchema,
  AllocStopResponseSchema,
  GenericResponseSchema,
  type AllocList,
  type AllocListQuerySchema,
  type AllocResourceUsage,
  type AllocRestartRequestSchema,
  type AllocSignalRequestSchema,
  type AllocStopResponse,
  type Allocation,
  type GenericResponse,
  type QueryOptionsSchema,
} from '@berth/contract';
import type { z } from 'zod';
import { enc, type ApiResponse, type Call, type CallOptions } from './call.js';

/** Query of `allocations.list`: the shared read options plus `resources` and `task_states`. */
export type AllocListQuery = z.input<typeof AllocListQuerySchema>;

/** Query of `allocations.stats`: `task`, to measure one task only. */
export interface AllocStatsQuery {
  task?: string;
}

/** Query of `allocations.info`: the shared read options (`index`/`wait` block). */
export type AllocInfoQuery = z.input<typeof QueryOptionsSchema>;

/** Options of `allocations.stop`. */
export interface AllocStopOptions {
  /** Skip the group's shutdown delay. */
  noShutdownDelay?: boolean;
  /** Mark the allocation for rescheduling. */
  reschedule?: boolean;
}

/** Body of `allocations.signal`: `Signal` (e.g. `SIGUSR1`) and `Task` (empty: every task). */
export type AllocSignalBody = Pick<
  z.input<typeof AllocSignalRequestSchema> & object,
  'Signal' | 'Task'
>;

/** Body of `allocations.restart`: one task (`TaskName`), or all tasks (`AllTasks`), or neither. */
export type AllocRestartBody = z.input<typeof AllocRestartRequestSchema> & object;

/** The allocations API. */
export interface AllocationsApi {
  /** `GET /v1/allocations`: allocation stubs; `meta.nextToken` pages, `index`+`wait` block. */
  list(query?: AllocListQuery, opts?: CallOptions): Promise<ApiResponse<AllocList>>;
  /** `GET /v1/allocation/:id`: one allocation by full ID. */
  info(id: string, query?: AllocInfoQuery, opts?: CallOptions): Promise<ApiResponse<Allocation>>;
  /** `POST /v1/allocation/:id/stop`: stop (and normally replace) an allocation. */
  stop(
    id: string,
    options?: AllocStopOptions,
    opts?: CallOptions,
  ): Promise<ApiResponse<AllocStopResponse>>;
  /** `POST /v1/client/allocation/:id/signal`: signal one task or all tasks. */
  signal(
    id: string,
    body: AllocSignalBody,
    opts?: CallOptions,
  ): Promise<ApiResponse<GenericResponse>>;
  /** `POST /v1/client/allocation/:id/restart`: restart tasks in place. */
  restart(
    id: string,
    body?: AllocRestartBody,
    opts?: CallOptions,
  ): Promise<ApiResponse<GenericResponse>>;
  /**
   * `GET /v1/client/allocation/:id/stats`: the memory and CPU use of the allocation's running
   * tasks and in total, measured by its node (Nomad's `Allocations().Stats`); `task` limits it
   * to one task.
   */
  stats(
    id: string,
    query?: AllocStatsQuery,
    opts?: CallOptions,
  ): Promise<ApiResponse<AllocResourceUsage>>;
}

/** The allocations API over the shared call steps. */
export function createAllocationsApi(call: Call): AllocationsApi {
  const api = call.api.allocations;
  return {
    async list(query, opts) {
      const res = await api.list({
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, AllocListSchema, 'GET', '/v1/allocations');
    },
    async info(id, query, opts) {
      const res = await api.info({
        params: { allocID: enc(id) },
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, AllocationSchema, 'GET', `/v1/allocation/${id}`);
    },
    async stop(id, stopOptions, opts) {
      const res = await api.stop({
        params: { allocID: enc(id) },
        query: {
          ...call.scope(opts),
          no_shutdown_delay: stopOptions?.noShutdownDelay,
          reschedule: stopOptions?.reschedule,
        },
        ...call.request(opts),
      });
      return call.finish(res, AllocStopResponseSchema, 'POST', `/v1/allocation/${id}/stop`);
    },
    async signal(id, body, opts) {
      const res = await api.signal({
        params: { allocID: enc(id) },
        query: call.scope(opts),
        body: { Signal: body.Signal, Task: body.Task },
        ...call.request(opts),
      });
      return call.finish(res, GenericResponseSchema, 'POST', `/v1/client/allocation/${id}/signal`);
    },
    async restart(id, body, opts) {
      const res = await api.restart({
        params: { allocID: enc(id) },
        query: call.scope(opts),
        body: body ?? {},
        ...call.request(opts),
      });
      return call.finish(res, GenericResponseSchema, 'POST', `/v1/client/allocation/${id}/restart`);
    },
    async stats(id, query, opts) {
      const res = await call.api.clientStats.allocation({
        params: { allocID: enc(id) },
        query: { ...call.scope(opts), ...(query?.task ? { task: query.task } : {}) },
        ...call.request(opts),
      });
      return call.finish(res, AllocResourceUsageSchema, 'GET', `/v1/client/allocation/${id}/stats`);
    },
  };
}
