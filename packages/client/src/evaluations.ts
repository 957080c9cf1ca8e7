// The evaluations API of the client (Nomad's Go api `Evaluations()`).
import {
  AllocListSchema,
  contract,
  EvaluationSchema,
  type AllocList,
  type EvalInfoQuerySchema,
  type EvalListQuerySchema,
  type Evaluation,
  type QueryOptionsSchema,
} from '@berth/contract';
import type { z } from 'zod';
import { enc, type ApiResponse, type Call, type CallOptions } from './call.js';

/** Query of `evaluations.list`: the shared read options plus the `job` and `status` filters. */
export type EvalListQuery = z.input<typeof EvalListQuerySchema>;

/** Query of `evaluations.info`: the shared read options plus `related`. */
export type EvalInfoQuery = z.input<typeof EvalInfoQuerySchema>;

/** Query of `evaluations.allocations`: the shared read options. */
export type EvalAllocationsQuery = z.input<typeof QueryOptionsSchema>;

/** The evaluations API. */
export interface EvaluationsApi {
  /** `GET /v1/evaluations`: evaluations, optionally of one job or status; `index`+`wait` block. */
  list(query?: EvalListQuery, opts?: CallOptions): Promise<ApiResponse<Evaluation[]>>;
  /** `GET /v1/evaluation/:id`: one evaluation by full ID. */
  info(id: string, query?: EvalInfoQuery, opts?: CallOptions): Promise<ApiResponse<Evaluation>>;
  /** `GET /v1/evaluation/:id/allocations`: stubs of the allocations the evaluation placed. */
  allocations(
    id: string,
    query?: EvalAllocationsQuery,
    opts?: CallOptions,
  ): Promise<ApiResponse<AllocList>>;
}

/** The evaluations API over the shared call steps. */
export function createEvaluationsApi(call: Call): EvaluationsApi {
  const api = call.api.evaluations;
  return {
    async list(query, opts) {
      const res = await api.list({
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, contract.evaluations.list.responses[200], 'GET', '/v1/evaluations');
    },
    async info(id, query, opts) {
      const res = await api.info({
        params: { evalID: enc(id) },
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, EvaluationSchema, 'GET', `/v1/evaluation/${id}`);
    },
    async allocations(id, query, opts) {
      const res = await api.allocations({
        params: { evalID: enc(id) },
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, AllocListSchema, 'GET', `/v1/evaluation/${id}/allocations`);
    },
  };
}
