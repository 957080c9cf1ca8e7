// The namespaces API of the client (Nomad's Go api `Namespaces()`).
import {
  contract,
  NamespaceSchema,
  NamespaceWriteResponseSchema,
  type Namespace,
  type NamespaceRegisterRequest,
  type QueryOptionsSchema,
} from '@berth/contract';
import type { z } from 'zod';
import { enc, type ApiResponse, type Call, type CallOptions } from './call.js';
import type { QueryMeta } from './query-meta.js';

/** Query of `namespaces.list` and `namespaces.info`: the shared read options. */
export type NamespaceQuery = z.input<typeof QueryOptionsSchema>;

/** A namespace to register: `Name` required, the rest optional. */
export type NamespaceInput = Pick<NamespaceRegisterRequest, 'Name'> &
  Partial<Omit<NamespaceRegisterRequest, 'Name'>>;

/** The answer of a namespace write: no body, only the write's `X-Nomad-Index` in `meta`. */
export interface NamespaceWriteResponse {
  meta: QueryMeta;
}

/** The namespaces API. */
export interface NamespacesApi {
  /** `GET /v1/namespaces`: every namespace, in name order; `prefix` filters; `index`+`wait` block. */
  list(query?: NamespaceQuery, opts?: CallOptions): Promise<ApiResponse<Namespace[]>>;
  /** `GET /v1/namespace/:name`: one namespace (404 `Namespace not found`). */
  info(name: string, query?: NamespaceQuery, opts?: CallOptions): Promise<ApiResponse<Namespace>>;
  /** `PUT /v1/namespace/:name`: creates or updates the namespace `namespace.Name`. */
  register(namespace: NamespaceInput, opts?: CallOptions): Promise<NamespaceWriteResponse>;
  /** `DELETE /v1/namespace/:name`: deletes a namespace (not `default`, nor one still in use). */
  delete(name: string, opts?: CallOptions): Promise<NamespaceWriteResponse>;
}

/** The namespaces API over the shared call steps. */
export function createNamespacesApi(call: Call): NamespacesApi {
  const api = call.api.namespaces;
  return {
    async list(query, opts) {
      const res = await api.list({
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, contract.namespaces.list.responses[200], 'GET', '/v1/namespaces');
    },
    async info(name, query, opts) {
      const res = await api.info({
        params: { name: enc(name) },
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, NamespaceSchema, 'GET', `/v1/namespace/${name}`);
    },
    async register(namespace, opts) {
      const res = await api.registerPut({
        params: { name: enc(namespace.Name) },
        query: call.scope(opts),
        body: namespace,
        ...call.request(opts),
      });
      const path = `/v1/namespace/${namespace.Name}`;
      return { meta: call.finish(res, NamespaceWriteResponseSchema, 'PUT', path).meta };
    },
    async delete(name, opts) {
      const res = await api.delete({
        params: { name: enc(name) },
        query: call.scope(opts),
        ...call.request(opts),
      });
      const path = `/v1/namespace/${name}`;
      return { meta: call.finish(res, NamespaceWriteResponseSchema, 'DELETE', path).meta };
    },
  };
}
