// The jobs API of the client (Nomad's Go api `Jobs()`).
import {
  contract,
  JobDeregisterResponseSchema,
  JobListSchema,
  JobsParseResponseSchema,
  JobPlanResponseSchema,
  JobRegisterResponseSchema,
  JobScaleStatusSchema,
  JobSchema,
  JobSummarySchema,
  JobVersionsResponseSchema,
  AllocListSchema,
  type AllocList,
  type Deployment,
  type Evaluation,
  type Job,
  type JobAllocationsQuerySchema,
  type JobDeploymentsQuerySchema,
  type JobDeregisterResponse,
  type JobList,
  type JobListQuerySchema,
  type JobPlanResponse,
  type JobRegisterResponse,
  type JobScaleStatus,
  type JobSubmissionInput,
  type JobSummary,
  type JobVersionsQuerySchema,
  type JobVersionsResponse,
  type QueryOptionsSchema,
} from '@berth/contract';
import type { z } from 'zod';
import { enc, type ApiResponse, type Call, type CallOptions } from './call.js';

/** Query of `jobs.list`: the shared read options (`prefix` is a job ID prefix) plus `meta`. */
export type JobListQuery = z.input<typeof JobListQuerySchema>;

/** Query of `jobs.info` and `jobs.evaluations`: the shared read options (`index`/`wait` block). */
export type JobInfoQuery = z.input<typeof QueryOptionsSchema>;

/** Query of `jobs.allocations`: the shared read options plus `all`. */
export type JobAllocationsQuery = z.input<typeof JobAllocationsQuerySchema>;

/** Query of `jobs.deployments`: the shared read options plus `all`. */
export type JobDeploymentsQuery = z.input<typeof JobDeploymentsQuerySchema>;

/** Query of `jobs.versions`: `diffs`, `diff_version`, `diff_tag`, then the shared read options. */
export type JobVersionsQuery = z.input<typeof JobVersionsQuerySchema>;

/** Options of `jobs.register`, sent beside the job in the body. */
export interface JobRegisterOptions {
  /** Register only if the job's current `JobModifyIndex` is `jobModifyIndex` (0: only if new). */
  enforceIndex?: boolean;
  /** The index `enforceIndex` checks against. */
  jobModifyIndex?: number;
  /** Override soft-mandatory Sentinel policies (accepted, unused by berth). */
  policyOverride?: boolean;
  /** Keep the current counts of existing groups. */
  preserveCounts?: boolean;
  /** Priority of the evaluation created (1..100; default the job's). */
  evalPriority?: number;
}

/** Options of `jobs.deregister`. */
export interface JobDeregisterOptions {
  /** Delete the job instead of only stopping it. */
  purge?: boolean;
  /** Deregister a multiregion job in every region. */
  global?: boolean;
  /** Priority of the evaluation created (1..100). */
  evalPriority?: number;
  /** Skip the groups' shutdown delay. */
  noShutdownDelay?: boolean;
}

/** Options of `jobs.parse` (Nomad's `JobsParseRequest` besides the jobspec). */
export interface JobParseOptions {
  /** A variables file's text (`name = value` lines) for the jobspec's `variable` blocks. */
  variables?: string;
  /** Answer the job with the API's defaults filled in. */
  canonicalize?: boolean;
}

/** Options of `jobs.evaluate` (Nomad's `EvalOptions`). */
export interface JobEvaluateOptions {
  /** Reschedule the job's failed allocations now, ignoring their reschedule delay. */
  forceReschedule?: boolean;
}

/** Options of `jobs.plan` (Nomad's `PlanOptions`). */
export interface JobPlanOptions {
  /** Answer the difference from the current job, annotated with the scheduler's decisions. */
  diff?: boolean;
  /** Override soft-mandatory Sentinel policies (needs `sentinel-override`; unused by berth). */
  policyOverride?: boolean;
}

/** What `jobs.scale` sends (Nomad's `ScalingRequest`). */
export interface JobScaleOptions {
  /** The task group to scale. */
  group: string;
  /** The new count; absent: only record the event. */
  count?: number;
  /** Why (shown in the scaling events). */
  message?: string;
  /** The event reports a scaler's failure (then no count may be given). */
  error?: boolean;
  /** Anything the scaler wants to keep with the event. */
  meta?: Record<string, unknown>;
  /** Scale only if the job's JobModifyIndex is still this one. */
  jobModifyIndex?: number;
  /** Override soft-mandatory Sentinel policies (accepted, unused by berth). */
  policyOverride?: boolean;
}

/** The jobs API. */
export interface JobsApi {
  /**
   * `PUT /v1/jobs`: registers a job (new, or a new version) and answers the evaluation created.
   * The job may be partial: the server fills defaults; an invalid job throws a 400 BerthApiError
   * listing every problem.
   */
  register(
    job: JobSubmissionInput,
    options?: JobRegisterOptions,
    opts?: CallOptions,
  ): Promise<ApiResponse<JobRegisterResponse>>;
  /**
   * `PUT /v1/jobs/parse`: an HCL2 jobspec turned into the API's Job (as Nomad's
   * `Jobs().ParseHCLOpts`), ready for `register`; a bad jobspec throws a 400 BerthApiError with
   * hcl's message. Nothing is written.
   */
  parse(
    jobHCL: string,
    options?: JobParseOptions,
    opts?: CallOptions,
  ): Promise<ApiResponse<JobSubmissionInput>>;
  /** `GET /v1/jobs`: job stubs, ordered by ID; `index`+`wait` block. */
  list(query?: JobListQuery, opts?: CallOptions): Promise<ApiResponse<JobList>>;
  /** `GET /v1/job/:id`: the job's latest version. */
  info(id: string, query?: JobInfoQuery, opts?: CallOptions): Promise<ApiResponse<Job>>;
  /** `DELETE /v1/job/:id`: stops the job (or purges it) and answers the evaluation created. */
  deregister(
    id: string,
    options?: JobDeregisterOptions,
    opts?: CallOptions,
  ): Promise<ApiResponse<JobDeregisterResponse>>;
  /** `GET /v1/job/:id/allocations`: the job's allocation stubs. */
  allocations(
    id: string,
    query?: JobAllocationsQuery,
    opts?: CallOptions,
  ): Promise<ApiResponse<AllocList>>;
  /**
   * `POST /v1/job/:id/evaluate`: creates a new evaluation of the job (as Nomad's
   * `Jobs().EvaluateWithOpts`); with `forceReschedule`, the job's failed allocations are
   * rescheduled now.
   */
  evaluate(
    id: string,
    options?: JobEvaluateOptions,
    opts?: CallOptions,
  ): Promise<ApiResponse<JobRegisterResponse>>;
  /**
   * `POST /v1/job/:id/scale`: sets a task group's count (a new job version and an evaluation)
   * and records a scaling event; without `count`, only records the event (as Nomad's
   * `Jobs().ScaleWithRequest`).
   */
  scale(
    id: string,
    request: JobScaleOptions,
    opts?: CallOptions,
  ): Promise<ApiResponse<JobRegisterResponse>>;
  /**
   * `PUT /v1/job/:id/plan`: a dry run of the scheduler (as Nomad's `Jobs().PlanOpts`): what
   * registering `job` would place, stop or update per task group, what would not fit, and the
   * job's current `JobModifyIndex` (for `register`'s `enforceIndex`). Nothing is written. The
   * job must have an `ID`.
   */
  plan(
    job: JobSubmissionInput,
    options?: JobPlanOptions,
    opts?: CallOptions,
  ): Promise<ApiResponse<JobPlanResponse>>;
  /** `GET /v1/job/:id/scale`: each task group's count, allocations and scaling events. */
  scaleStatus(
    id: string,
    query?: JobInfoQuery,
    opts?: CallOptions,
  ): Promise<ApiResponse<JobScaleStatus>>;
  /**
   * `GET /v1/job/:id/versions`: the job's versions, newest first; with `diffs: true` also what
   * changed in each (Nomad's `VersionsOpts`).
   */
  versions(
    id: string,
    query?: JobVersionsQuery,
    opts?: CallOptions,
  ): Promise<ApiResponse<JobVersionsResponse>>;
  /** `GET /v1/job/:id/evaluations`: the job's evaluations. */
  evaluations(
    id: string,
    query?: JobInfoQuery,
    opts?: CallOptions,
  ): Promise<ApiResponse<Evaluation[]>>;
  /** `GET /v1/job/:id/summary`: the job's allocation counts per task group. */
  summary(id: string, query?: JobInfoQuery, opts?: CallOptions): Promise<ApiResponse<JobSummary>>;
  /** `GET /v1/job/:id/deployment`: the job's latest deployment, `null` when it has none. */
  latestDeployment(
    id: string,
    query?: JobInfoQuery,
    opts?: CallOptions,
  ): Promise<ApiResponse<Deployment | null>>;
  /** `GET /v1/job/:id/deployments`: the job's deployments. */
  deployments(
    id: string,
    query?: JobDeploymentsQuery,
    opts?: CallOptions,
  ): Promise<ApiResponse<Deployment[]>>;
}

/** The jobs API over the shared call steps. */
export function createJobsApi(call: Call): JobsApi {
  const api = call.api.jobs;
  return {
    async register(job, options, opts) {
      const body = {
        Job: job,
        ...(options?.enforceIndex !== undefined && { EnforceIndex: options.enforceIndex }),
        ...(options?.jobModifyIndex !== undefined && { JobModifyIndex: options.jobModifyIndex }),
        ...(options?.policyOverride !== undefined && { PolicyOverride: options.policyOverride }),
        ...(options?.preserveCounts !== undefined && { PreserveCounts: options.preserveCounts }),
        ...(options?.evalPriority !== undefined && { EvalPriority: options.evalPriority }),
      };
      const res = await api.register({ query: call.scope(opts), body, ...call.request(opts) });
      return call.finish(res, JobRegisterResponseSchema, 'PUT', '/v1/jobs');
    },
    async parse(jobHCL, options, opts) {
      const res = await api.parsePut({
        query: call.scope(opts),
        body: {
          JobHCL: jobHCL,
          Variables: options?.variables ?? '',
          Canonicalize: options?.canonicalize ?? false,
        },
        ...call.request(opts),
      });
      return call.finish(res, JobsParseResponseSchema, 'PUT', '/v1/jobs/parse');
    },
    async list(query, opts) {
      const res = await api.list({
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, JobListSchema, 'GET', '/v1/jobs');
    },
    async info(id, query, opts) {
      const res = await api.info({
        params: { jobID: enc(id) },
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, JobSchema, 'GET', `/v1/job/${id}`);
    },
    async deregister(id, options, opts) {
      const res = await api.deregister({
        params: { jobID: enc(id) },
        query: {
          ...call.scope(opts),
          purge: options?.purge,
          global: options?.global,
          eval_priority: options?.evalPriority,
          no_shutdown_delay: options?.noShutdownDelay,
        },
        ...call.request(opts),
      });
      return call.finish(res, JobDeregisterResponseSchema, 'DELETE', `/v1/job/${id}`);
    },
    async allocations(id, query, opts) {
      const res = await api.allocations({
        params: { jobID: enc(id) },
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, AllocListSchema, 'GET', `/v1/job/${id}/allocations`);
    },
    async evaluate(id, options, opts) {
      const res = await api.evaluate({
        params: { jobID: enc(id) },
        query: call.scope(opts),
        body: { JobID: id, EvalOptions: { ForceReschedule: options?.forceReschedule ?? false } },
        ...call.request(opts),
      });
      return call.finish(res, JobRegisterResponseSchema, 'POST', `/v1/job/${id}/evaluate`);
    },
    async scale(id, request, opts) {
      const body = {
        Count: request.count ?? null,
        Target: { Group: request.group, Job: id },
        Message: request.message ?? '',
        Error: request.error ?? false,
        Meta: request.meta ?? null,
        PolicyOverride: request.policyOverride ?? false,
        JobModifyIndex: request.jobModifyIndex ?? 0,
      };
      const res = await api.scale({
        params: { jobID: enc(id) },
        query: call.scope(opts),
        body,
        ...call.request(opts),
      });
      return call.finish(res, JobRegisterResponseSchema, 'POST', `/v1/job/${id}/scale`);
    },
    async plan(job, options, opts) {
      const id = job.ID;
      if (typeof id !== 'string') throw new TypeError('jobs.plan: the job is missing ID');
      const res = await api.planPut({
        params: { jobID: enc(id) },
        query: call.scope(opts),
        body: {
          Job: job,
          Diff: options?.diff ?? false,
          PolicyOverride: options?.policyOverride ?? false,
        },
        ...call.request(opts),
      });
      return call.finish(res, JobPlanResponseSchema, 'PUT', `/v1/job/${id}/plan`);
    },
    async scaleStatus(id, query, opts) {
      const res = await api.scaleStatus({
        params: { jobID: enc(id) },
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, JobScaleStatusSchema, 'GET', `/v1/job/${id}/scale`);
    },
    async versions(id, query, opts) {
      const res = await api.versions({
        params: { jobID: enc(id) },
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, JobVersionsResponseSchema, 'GET', `/v1/job/${id}/versions`);
    },
    async evaluations(id, query, opts) {
      const res = await api.evaluations({
        params: { jobID: enc(id) },
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(
        res,
        contract.jobs.evaluations.responses[200],
        'GET',
        `/v1/job/${id}/evaluations`,
      );
    },
    async summary(id, query, opts) {
      const res = await api.summary({
        params: { jobID: enc(id) },
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, JobSummarySchema, 'GET', `/v1/job/${id}/summary`);
    },
    async latestDeployment(id, query, opts) {
      const res = await api.latestDeployment({
        params: { jobID: enc(id) },
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(
        res,
        contract.jobs.latestDeployment.responses[200],
        'GET',
        `/v1/job/${id}/deployment`,
      );
    },
    async deployments(id, query, opts) {
      const res = await api.deployments({
        params: { jobID: enc(id) },
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(
        res,
        contract.jobs.deployments.responses[200],
        'GET',
        `/v1/job/${id}/deployments`,
      );
    },
  };
}
