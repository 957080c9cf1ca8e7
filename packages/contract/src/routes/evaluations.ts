// The evaluations API (Nomad's /v1/evaluations and /v1/evaluation/:id), route keys named after
// Nomad's Go api client (`Evaluations().List`, `Info`, `Allocations`).
import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { exactTrueParam, QueryOptionsSchema, queryOptionsShape, queryParam } from '../query.js';
import { AllocListSchema } from '../schemas/alloc-list-stub.js';
import { EvaluationSchema } from '../schemas/evaluation.js';
import { errorResponses } from './errors.js';

const c = initContract();

/** The evaluation ID in the path; any string (the server checks it after authentication). */
export const EvalIdPathSchema = z.object({ evalID: z.string() });

/** A filter taken verbatim; `''` (no filter) when absent. */
const filterText = queryParam<string, string>((raw) => raw ?? '');

/**
 * Query of List: the shared read options, then Nomad's two filters, `job` (exact job ID) and
 * `status` (exact evaluation status).
 */
export const EvalListQuerySchema = z.object({
  ...queryOptionsShape,
  /** Only evaluations with this `Status` (e.g. `blocked`). */
  status: filterText,
  /** Only evaluations of the job with this ID. */
  job: filterText,
});

/** Parsed evaluations List query. */
export type EvalListQuery = z.infer<typeof EvalListQuerySchema>;

/** Query of Info: the shared read options, then `related` (only the exact text `true` counts). */
export const EvalInfoQuerySchema = z.object({
  ...queryOptionsShape,
  /** Fill `RelatedEvals` with stubs of the evaluations linked to this one. */
  related: exactTrueParam,
});

/** Parsed evaluation Info query. */
export type EvalInfoQuery = z.infer<typeof EvalInfoQuerySchema>;

/** The evaluation routes. Error answers are text (see `ErrorText`), never JSON. */
export const evaluationsContract = c.router(
  {
    list: {
      method: 'GET',
      path: '/v1/evaluations',
      query: EvalListQuerySchema,
      responses: { 200: z.array(EvaluationSchema) },
      summary: 'List evaluations',
      description:
        'Lists evaluations of a namespace (`*` for all), optionally of one job (`job`) or status (`status`); `prefix` filters on the ID; blocking query; ACL namespace:read-job.',
    },
    info: {
      method: 'GET',
      path: '/v1/evaluation/:evalID',
      pathParams: EvalIdPathSchema,
      query: EvalInfoQuerySchema,
      responses: { 200: EvaluationSchema },
      summary: 'Read an evaluation',
      description:
        'Reads one evaluation by its full ID; blocking query; 404 `eval not found`; ACL namespace:read-job.',
    },
    allocations: {
      method: 'GET',
      path: '/v1/evaluation/:evalID/allocations',
      pathParams: EvalIdPathSchema,
      query: QueryOptionsSchema,
      responses: { 200: AllocListSchema },
      summary: "List an evaluation's allocations",
      description:
        'Lists the stubs of the allocations an evaluation placed; blocking query; ACL namespace:read-job.',
    },
  },
  { commonResponses: errorResponses, strictStatusCodes: true },
);
