// The berth client: typed calls over @berth/contract, per-call options, QueryMeta from headers.
import {
  AllocListSchema,
  AllocationSchema,
  AllocStopResponseSchema,
  contract,
  GenericResponseSchema,
  NomadHeader,
  type AllocList,
  type AllocListQuerySchema,
  type AllocRestartRequestSchema,
  type AllocSignalRequestSchema,
  type AllocStopResponse,
  type Allocation,
  type GenericResponse,
  type QueryOptionsSchema,
} from '@berth/contract';
import { initClient } from '@ts-rest/core';
import type { z } from 'zod';
import { BerthResponseValidationError } from './errors.js';
import { createFetcher, type FetchLike } from './fetcher.js';
import { parseQueryMeta, type QueryMeta } from './query-meta.js';

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** The server's address, e.g. `http://127.0.0.1:4646`. */
  address: string;
  /** Default ACL token (sent as `X-Nomad-Token`). */
  token?: string;
  /** Default namespace (the server's default is `default`). */
  namespace?: string;
  /** Default region (the server's default is its own). */
  region?: string;
  /** The fetch-like function to send requests with; the global `fetch` by default. */
  fetch?: FetchLike;
  /**
   * Parse 2xx bodies with the contract's schemas (default true): fields a Nomad server omits get
   * their zero values, so the data matches its type. A mismatch throws BerthResponseValidationError.
   */
  validateResponse?: boolean;
}

/** Options of one call; each overrides the client's default. */
export interface CallOptions {
  /** ACL token for this call. */
  token?: string;
  /** Namespace for this call (a `namespace` in the query wins over it). */
  namespace?: string;
  /** Region for this call (a `region` in the query wins over it). */
  region?: string;
  /** Aborts the call (e.g. a long blocking query). */
  signal?: AbortSignal;
}

/** A successful answer: the decoded body and the `X-Nomad-*` metadata. */
export interface ApiResponse<T> {
  /** The decoded body. */
  data: T;
  /** What the `X-Nomad-*` headers say. */
  meta: QueryMeta;
}

/** Query of `allocations.list`: the shared read options plus `resources` and `task_states`. */
export type AllocListQuery = z.input<typeof AllocListQuerySchema>;

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
export type AllocSignalBody = Pick<z.input<typeof AllocSignalRequestSchema> & object, 'Signal' | 'Task'>;

/** Body of `allocations.restart`: one task (`TaskName`), or all tasks (`AllTasks`), or neither. */
export type AllocRestartBody = z.input<typeof AllocRestartRequestSchema> & object;

/** The allocations API. */
export interface AllocationsApi {
  /** `GET /v1/allocations`: allocation stubs; `meta.nextToken` pages, `index`+`wait` block. */
  list(query?: AllocListQuery, opts?: CallOptions): Promise<ApiResponse<AllocList>>;
  /** `GET /v1/allocation/:id`: one allocation by full ID. */
  info(id: string, query?: AllocInfoQuery, opts?: CallOptions): Promise<ApiResponse<Allocation>>;
  /** `POST /v1/allocation/:id/stop`: stop (and normally replace) an allocation. */
  stop(id: string, options?: AllocStopOptions, opts?: CallOptions): Promise<ApiResponse<AllocStopResponse>>;
  /** `POST /v1/client/allocation/:id/signal`: signal one task or all tasks. */
  signal(id: string, body: AllocSignalBody, opts?: CallOptions): Promise<ApiResponse<GenericResponse>>;
  /** `POST /v1/client/allocation/:id/restart`: restart tasks in place. */
  restart(id: string, body?: AllocRestartBody, opts?: CallOptions): Promise<ApiResponse<GenericResponse>>;
}

/** A berth (or Nomad) API client. */
export interface BerthClient {
  /** The allocations API. */
  allocations: AllocationsApi;
}

/**
 * Creates a client. Any non-2xx answer throws a {@link BerthApiError} carrying the status and the
 * server's text. Per-call {@link CallOptions} override the defaults given here.
 */
export function createClient(options: ClientOptions): BerthClient {
  const fetchFn: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const validate = options.validateResponse ?? true;
  const api = initClient(contract, {
    baseUrl: options.address.replace(/\/+$/, ''),
    baseHeaders: {},
    api: createFetcher(fetchFn),
  }).allocations;

  /** Headers of a call: the token, if any. */
  const headers = (opts: CallOptions | undefined): Record<string, string> => {
    const token = opts?.token ?? options.token;
    return token ? { [NomadHeader.Token]: token } : {};
  };

  /** Namespace and region for a call: query, then call options, then client defaults. */
  const scope = (opts: CallOptions | undefined) => {
    const out: { namespace?: string; region?: string } = {};
    const namespace = opts?.namespace ?? options.namespace;
    const region = opts?.region ?? options.region;
    if (namespace) out.namespace = namespace;
    if (region) out.region = region;
    return out;
  };

  const fetchOptions = (opts: CallOptions | undefined) => (opts?.signal ? { signal: opts.signal } : {});

  /** Decodes a 2xx answer; ts-rest's union also lists the error statuses, which the fetcher throws. */
  const finish = <T>(
    res: { status: number; body: unknown; headers: Headers },
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    method: string,
    path: string,
  ): ApiResponse<T> => {
    let data: T;
    if (validate) {
      const parsed = schema.safeParse(res.body);
      if (!parsed.success) throw new BerthResponseValidationError(method, path, parsed.error);
      data = parsed.data;
    } else {
      data = res.body as T;
    }
    return { data, meta: parseQueryMeta(res.headers) };
  };

  const enc = encodeURIComponent;

  return {
    allocations: {
      async list(query, opts) {
        const res = await api.list({
          query: { ...scope(opts), ...query },
          extraHeaders: headers(opts),
          fetchOptions: fetchOptions(opts),
        });
        return finish(res, AllocListSchema, 'GET', '/v1/allocations');
      },
      async info(id, query, opts) {
        const res = await api.info({
          params: { allocID: enc(id) },
          query: { ...scope(opts), ...query },
          extraHeaders: headers(opts),
          fetchOptions: fetchOptions(opts),
        });
        return finish(res, AllocationSchema, 'GET', `/v1/allocation/${id}`);
      },
      async stop(id, stopOptions, opts) {
        const res = await api.stop({
          params: { allocID: enc(id) },
          query: {
            ...scope(opts),
            no_shutdown_delay: stopOptions?.noShutdownDelay,
            reschedule: stopOptions?.reschedule,
          },
          extraHeaders: headers(opts),
          fetchOptions: fetchOptions(opts),
        });
        return finish(res, AllocStopResponseSchema, 'POST', `/v1/allocation/${id}/stop`);
      },
      async signal(id, body, opts) {
        const res = await api.signal({
          params: { allocID: enc(id) },
          query: scope(opts),
          body: { Signal: body.Signal, Task: body.Task },
          extraHeaders: headers(opts),
          fetchOptions: fetchOptions(opts),
        });
        return finish(res, GenericResponseSchema, 'POST', `/v1/client/allocation/${id}/signal`);
      },
      async restart(id, body, opts) {
        const res = await api.restart({
          params: { allocID: enc(id) },
          query: scope(opts),
          body: body ?? {},
          extraHeaders: headers(opts),
          fetchOptions: fetchOptions(opts),
        });
        return finish(res, GenericResponseSchema, 'POST', `/v1/client/allocation/${id}/restart`);
      },
    },
  };
}
