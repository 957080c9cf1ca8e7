// The jobs API (Nomad's /v1/jobs and /v1/job/:id), route keys named after Nomad's Go api client
// (`Jobs().Register`, `List`, `Info`, `Deregister`, `Allocations`, `Evaluations`). Register and
// update take PUT and POST, so each is declared twice and the twins share one handler.
import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { ErrorText } from '../errors.js';
import {
  goBool,
  goInt,
  lenientBoolParam,
  QueryOptionsSchema,
  queryOptionsShape,
  writeOptionsShape,
} from '../query.js';
import { AllocListSchema } from '../schemas/alloc-list-stub.js';
import { DeploymentSchema } from '../schemas/deployment.js';
import { EvaluationSchema } from '../schemas/evaluation.js';
import { JobEvaluateRequestSchema } from '../schemas/job-evaluate.js';
import { JobsParseRequestSchema, JobsParseResponseSchema } from '../schemas/job-parse.js';
import { JobScaleStatusSchema, ScalingRequestSchema } from '../schemas/job-scale.js';
import { JobListSchema, JobSummarySchema } from '../schemas/job-list-stub.js';
import { JobPlanRequestSchema, JobPlanResponseSchema } from '../schemas/job-plan.js';
import { JobRegisterRequestSchema } from '../schemas/job-register.js';
import { JobVersionsQuerySchema, JobVersionsResponseSchema } from '../schemas/job-versions.js';
import {
  JobDeregisterResponseSchema,
  JobRegisterResponseSchema,
} from '../schemas/job-responses.js';
import { JobSchema } from '../schemas/job.js';
import { errorResponses } from './errors.js';

const c = initContract();

/**
 * The job ID in the path. Any string (the client encodes it, so an ID with `/` travels): the
 * server looks it up, after authentication.
 */
export const JobIdPathSchema = z.object({ jobID: z.string() });

/** Query of List: the shared read options, then `meta` (include each job's `Meta`). */
export const JobListQuerySchema = z.object({
  ...queryOptionsShape,
  /** Include `Meta` in each stub (default false). */
  meta: goBool('meta'),
});

/** Parsed jobs List query. */
export type JobListQuery = z.infer<typeof JobListQuerySchema>;

const JobDeregisterQueryShape = {
  /** Delete the job (and its versions) instead of only stopping it. */
  purge: goBool('purge'),
  /** Deregister a multiregion job in every region. */
  global: goBool('global'),
  /** Priority of the evaluation created (1..100). */
  eval_priority: goInt('eval_priority'),
  /**
   * Skip the groups' shutdown delay. (Nomad's text for a bad value has a stray `q` from a typo in
   * its format string; berth gives the clean text, as for every other boolean.)
   */
  no_shutdown_delay: goBool('no_shutdown_delay'),
  ...writeOptionsShape,
};

/**
 * Query of Deregister, in Nomad's order: `purge`, `global`, `eval_priority`, `no_shutdown_delay`,
 * then the write options. An `eval_priority` above 0 must be 1..100 (`Eval priority must be
 * between 1 and 100 inclusively`, checked after the others parse); 0 or less is ignored.
 */
export const JobDeregisterQuerySchema = z
  .object(JobDeregisterQueryShape)
  .superRefine((query, ctx) => {
    const priority = query.eval_priority;
    if (priority !== undefined && priority > 100) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: ErrorText.EvalPriorityOutOfRange });
    }
  });

/** Parsed Deregister query. */
export type JobDeregisterQuery = z.infer<typeof JobDeregisterQuerySchema>;

/**
 * Query of the job's allocations: `all` (include allocations of an older job with the same ID;
 * a bad value is false, as in Nomad), then the shared read options.
 */
export const JobAllocationsQuerySchema = z.object({
  /** Include allocations of previous jobs registered under this ID. */
  all: lenientBoolParam,
  ...queryOptionsShape,
});

/** Parsed job allocations query. */
export type JobAllocationsQuery = z.infer<typeof JobAllocationsQuerySchema>;

/**
 * Query of the job's deployments: `all` (include deployments of an older job with the same ID;
 * a bad value is false, as in Nomad), then the shared read options.
 */
export const JobDeploymentsQuerySchema = z.object({
  /** Include deployments of previous jobs registered under this ID. */
  all: lenientBoolParam,
  ...queryOptionsShape,
});

/** Parsed job deployments query. */
export type JobDeploymentsQuery = z.infer<typeof JobDeploymentsQuerySchema>;

const registerRoute = {
  path: '/v1/jobs',
  query: z.object(writeOptionsShape),
  body: JobRegisterRequestSchema,
  responses: { 200: JobRegisterResponseSchema },
} as const;

const updateRoute = {
  path: '/v1/job/:jobID',
  pathParams: JobIdPathSchema,
  query: z.object(writeOptionsShape),
  body: JobRegisterRequestSchema,
  responses: { 200: JobRegisterResponseSchema },
} as const;

const parseRoute = {
  path: '/v1/jobs/parse',
  query: z.object(writeOptionsShape),
  body: JobsParseRequestSchema,
  responses: { 200: JobsParseResponseSchema },
} as const;

const evaluateRoute = {
  path: '/v1/job/:jobID/evaluate',
  pathParams: JobIdPathSchema,
  query: z.object(writeOptionsShape),
  body: JobEvaluateRequestSchema,
  responses: { 200: JobRegisterResponseSchema },
} as const;

const scaleRoute = {
  path: '/v1/job/:jobID/scale',
  pathParams: JobIdPathSchema,
  query: z.object(writeOptionsShape),
  body: ScalingRequestSchema,
  responses: { 200: JobRegisterResponseSchema },
} as const;

const planRoute = {
  path: '/v1/job/:jobID/plan',
  pathParams: JobIdPathSchema,
  query: z.object(writeOptionsShape),
  body: JobPlanRequestSchema,
  responses: { 200: JobPlanResponseSchema },
} as const;

/** The job routes. Error answers are text (see `ErrorText`), never JSON. */
export const jobsContract = c.router(
  {
    register: {
      method: 'PUT',
      ...registerRoute,
      summary: 'Register a job',
      description:
        'Registers a new job or a new version of an existing one (an identical job makes no new version) and creates an evaluation for it. The body is `{"Job": {...}}`; the server fills defaults and answers 400 listing every problem of an invalid job. ACL namespace:submit-job.',
    },
    registerPost: {
      method: 'POST',
      ...registerRoute,
      summary: 'Register a job (POST)',
      description: 'Same as `register`.',
    },
    parse: {
      method: 'POST',
      ...parseRoute,
      summary: 'Parse an HCL2 jobspec',
      description:
        "Turns an HCL2 jobspec (`JobHCL`, with a variables file's text in `Variables`) into the API's Job, as Nomad's jobspec2 does: variables and locals evaluated, runtime interpolations such as `${NOMAD_TASK_DIR}` or `${attr.kernel.name}` kept as text; with `Canonicalize: true` the API's defaults are filled in. 400 `Failed to parse job: <hcl's message>` for a bad jobspec, `Job spec is empty` without one, and for `HCLv1: true` (no HCL1 parser). Writes nothing. ACL namespace:parse-job or submit-job.",
    },
    parsePut: {
      method: 'PUT',
      ...parseRoute,
      summary: 'Parse an HCL2 jobspec (PUT)',
      description: 'Same as `parse`.',
    },
    update: {
      method: 'POST',
      ...updateRoute,
      summary: 'Update a job',
      description:
        "Registers a job whose ID must equal the path's (`Job ID does not match name` otherwise); otherwise as `register`. ACL namespace:submit-job.",
    },
    updatePut: {
      method: 'PUT',
      ...updateRoute,
      summary: 'Update a job (PUT)',
      description: 'Same as `update`.',
    },
    list: {
      method: 'GET',
      path: '/v1/jobs',
      query: JobListQuerySchema,
      responses: { 200: JobListSchema },
      summary: 'List jobs',
      description:
        'Lists job stubs of a namespace (`*` for all), ordered by ID; `prefix` filters on the job ID; blocking query; ACL namespace:list-jobs.',
    },
    info: {
      method: 'GET',
      path: '/v1/job/:jobID',
      pathParams: JobIdPathSchema,
      query: QueryOptionsSchema,
      responses: { 200: JobSchema },
      summary: 'Read a job',
      description:
        'Reads the latest version of a job; blocking query; 404 `job not found`; ACL namespace:read-job.',
    },
    deregister: {
      method: 'DELETE',
      path: '/v1/job/:jobID',
      pathParams: JobIdPathSchema,
      query: JobDeregisterQuerySchema,
      body: c.noBody(),
      responses: { 200: JobDeregisterResponseSchema },
      summary: 'Deregister a job',
      description:
        'Stops a job (a new version with `Stop: true`), or deletes it with `purge=true`, and creates an evaluation that stops its allocations. ACL namespace:submit-job.',
    },
    allocations: {
      method: 'GET',
      path: '/v1/job/:jobID/allocations',
      pathParams: JobIdPathSchema,
      query: JobAllocationsQuerySchema,
      responses: { 200: AllocListSchema },
      summary: "List a job's allocations",
      description:
        'Lists the allocation stubs of a job (with `all=true`, also those of earlier jobs with the same ID); blocking query; ACL namespace:read-job.',
    },
    evaluate: {
      method: 'POST',
      ...evaluateRoute,
      summary: 'Force a new evaluation of a job',
      description:
        'Creates a `job-register` evaluation of the job\'s current version. The optional body `{"JobID": ..., "EvalOptions": {"ForceReschedule": true}}` names the job (400 `Job ID must be specified` without it, `JobID not same as job name` when not the path\'s); `ForceReschedule` marks the job\'s failed allocations to be rescheduled now. 404 `job not found`; 400 for a periodic or parameterized job. ACL namespace:submit-job or evaluate-job.',
    },
    evaluatePut: {
      method: 'PUT',
      ...evaluateRoute,
      summary: 'Force a new evaluation of a job (PUT)',
      description: 'Same as `evaluate`.',
    },
    plan: {
      method: 'POST',
      ...planRoute,
      summary: 'Plan a job (dry run)',
      description:
        'Runs the scheduler on the job as `register` would store it, without writing anything, and answers what it would do: per task group the allocations it would place, stop, update in place or replace (`Annotations.DesiredTGUpdates`), the placements that would not fit (`FailedTGAllocs`), the blocked evaluation it would create, the job\'s current `JobModifyIndex` (for `-check-index`) and, with `Diff: true`, the annotated difference from the current job. The body is `{"Job": {...}, "Diff": bool}`; the job\'s ID must equal the path\'s (`Job ID does not match`). ACL namespace:submit-job or plan-job.',
    },
    planPut: {
      method: 'PUT',
      ...planRoute,
      summary: 'Plan a job (dry run, PUT)',
      description: 'Same as `plan`.',
    },
    scaleStatus: {
      method: 'GET',
      path: '/v1/job/:jobID/scale',
      pathParams: JobIdPathSchema,
      query: QueryOptionsSchema,
      responses: { 200: JobScaleStatusSchema },
      summary: "Read a job's scale status",
      description:
        "Each task group's count, its placed, running, healthy and unhealthy allocations, and its scaling events (newest first); blocking query; 404 `job not found`; ACL namespace:read-job or read-job-scaling.",
    },
    scale: {
      method: 'POST',
      ...scaleRoute,
      summary: "Scale a job's task group",
      description:
        "Sets a task group's count (a new job version and a `job-scaling` evaluation) and records a scaling event; without `Count`, only records the event. Nomad's checks and texts: `missing task group name for scaling action`, `scaling action count can't be negative`, the group's scaling policy `Min`/`Max`, 404 `job \"<id>\" not found`. ACL namespace:scale-job or submit-job.",
    },
    scalePut: {
      method: 'PUT',
      ...scaleRoute,
      summary: "Scale a job's task group (PUT)",
      description: 'Same as `scale`.',
    },
    versions: {
      method: 'GET',
      path: '/v1/job/:jobID/versions',
      pathParams: JobIdPathSchema,
      query: JobVersionsQuerySchema,
      responses: { 200: JobVersionsResponseSchema },
      summary: "List a job's versions",
      description:
        'The job\'s tracked versions, newest first (at most 6, as Nomad keeps). With `diffs=true`, `Diffs` holds each version\'s difference from the next older one, or, with `diff_version`/`diff_tag`, from that version (404 `version N not found` / `tag "x" not found`). Blocking query; 404 `job versions not found`; ACL namespace:read-job.',
    },
    evaluations: {
      method: 'GET',
      path: '/v1/job/:jobID/evaluations',
      pathParams: JobIdPathSchema,
      query: QueryOptionsSchema,
      responses: { 200: z.array(EvaluationSchema) },
      summary: "List a job's evaluations",
      description: 'Lists the evaluations of a job; blocking query; ACL namespace:read-job.',
    },
    summary: {
      method: 'GET',
      path: '/v1/job/:jobID/summary',
      pathParams: JobIdPathSchema,
      query: QueryOptionsSchema,
      responses: { 200: JobSummarySchema },
      summary: "Read a job's summary",
      description:
        "Counts the job's allocations per task group by client status (`Starting`, `Running`, `Complete`, `Failed`, `Lost`, `Unknown`), with `Queued` from its latest evaluation; blocking query; 404 `job not found`; ACL namespace:read-job.",
    },
    latestDeployment: {
      method: 'GET',
      path: '/v1/job/:jobID/deployment',
      pathParams: JobIdPathSchema,
      query: QueryOptionsSchema,
      responses: { 200: DeploymentSchema.nullable() },
      summary: "Read a job's latest deployment",
      description:
        'The most recent deployment of the job, `null` when it has none (berth makes no deployments yet, so always `null`, whether or not the job exists, as Nomad answers); blocking query; ACL namespace:read-job.',
    },
    deployments: {
      method: 'GET',
      path: '/v1/job/:jobID/deployments',
      pathParams: JobIdPathSchema,
      query: JobDeploymentsQuerySchema,
      responses: { 200: z.array(DeploymentSchema) },
      summary: "List a job's deployments",
      description:
        "Lists the job's deployments (with `all=true`, also those of earlier jobs with the same ID); berth makes none yet, so `[]`; blocking query; ACL namespace:read-job.",
    },
  },
  { commonResponses: errorResponses, strictStatusCodes: true },
);
