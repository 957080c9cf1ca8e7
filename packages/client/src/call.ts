// What every call of the client shares: the options, the ts-rest client over the contract, and
// the steps around a request (token header, namespace and region, abort signal, decoding the
// answer and its X-Nomad-* metadata).
import { contract, NomadHeader } from '@berth/contract';
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

/** Builds the ts-rest client of the whole contract. */
function createRootClient(address: string, fetchFn: FetchLike) {
  return initClient(contract, {
    baseUrl: address.replace(/\/+$/, ''),
    baseHeaders: {},
    api: createFetcher(fetchFn),
  });
}

/** The ts-rest client of the whole contract (one property per router). */
export type RootClient = ReturnType<typeof createRootClient>;

/** The steps every call shares, bound to the client's options. */
export interface Call {
  /** The ts-rest client. */
  api: RootClient;
  /** The address and fetch function, for answers read as a stream (not through ts-rest). */
  raw: { address: string; fetch: FetchLike };
  /** The request parts common to every call: token header, abort signal. */
  request(opts: CallOptions | undefined): {
    extraHeaders: Record<string, string>;
    fetchOptions: { signal?: AbortSignal };
  };
  /** Namespace and region for a call's query: call options, then client defaults. */
  scope(opts: CallOptions | undefined): { namespace?: string; region?: string };
  /** Decodes a 2xx answer (error statuses were thrown by the fetcher). */
  finish<T>(
    res: { status: number; body: unknown; headers: Headers },
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    method: string,
    path: string,
  ): ApiResponse<T>;
}

/** Binds the shared steps to a client's options. */
export function createCall(options: ClientOptions): Call {
  const fetchFn: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const validate = options.validateResponse ?? true;
  return {
    api: createRootClient(options.address, fetchFn),
    raw: { address: options.address.replace(/\/+$/, ''), fetch: fetchFn },
    request(opts) {
      const token = opts?.token ?? options.token;
      const extraHeaders: Record<string, string> = token ? { [NomadHeader.Token]: token } : {};
      const fetchOptions: { signal?: AbortSignal } = opts?.signal ? { signal: opts.signal } : {};
      return { extraHeaders, fetchOptions };
    },
    scope(opts) {
      const out: { namespace?: string; region?: string } = {};
      const namespace = opts?.namespace ?? options.namespace;
      const region = opts?.region ?? options.region;
      if (namespace) out.namespace = namespace;
      if (region) out.region = region;
      return out;
    },
    finish(res, schema, method, path) {
      // ts-rest's result union also lists the error statuses, which the fetcher throws.
      if (!validate) return { data: res.body as never, meta: parseQueryMeta(res.headers) };
      const parsed = schema.safeParse(res.body);
      if (!parsed.success) throw new BerthResponseValidationError(method, path, parsed.error);
      return { data: parsed.data, meta: parseQueryMeta(res.headers) };
    },
  };
}

/** Encodes an ID for a path segment (an ID with `/` stays one segment). */
export const enc = encodeURIComponent;
