// HTTP handlers of the job endpoints (Nomad's command/agent/job_endpoint.go): read the request,
// call the endpoint, write the body and the X-Nomad-* headers. No state is touched here.
import { ErrorText, jobsContract, requestToken } from '@berth/contract';
import { initServer } from '@ts-rest/fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EndpointContext } from '../../endpoints/context.js';
import { badRequest } from '../../endpoints/endpoint-error.js';
import { jobAllocations } from '../../endpoints/jobs/allocations.js';
import { jobDeployments } from '../../endpoints/jobs/deployments.js';
import { deregisterJob } from '../../endpoints/jobs/deregister.js';
import { evaluateJob } from '../../endpoints/jobs/evaluate.js';
import { jobEvaluations } from '../../endpoints/jobs/evaluations.js';
import { getJob } from '../../endpoints/jobs/get.js';
import { listJobs } from '../../endpoints/jobs/list.js';
import { parseJob } from '../../endpoints/jobs/parse.js';
import { planJob } from '../../endpoints/jobs/plan.js';
import { getJobSummary } from '../../endpoints/jobs/summary.js';
import { registerJob } from '../../endpoints/jobs/register.js';
import { jobScaleStatus } from '../../endpoints/jobs/scale-status.js';
import { jobVersions } from '../../endpoints/jobs/versions.js';
import { scaleJob } from '../../endpoints/jobs/scale.js';
import { setIndex, setQueryMeta } from '../meta.js';
import {
  answerMissing,
  answerViews,
  fastifyOf,
  pageOptions,
  readArgs,
  type RouteArgs,
} from './route-args.js';

const s = initServer();
const routes = jobsContract;

/**
 * The namespace a write names in its query string, '' when none. (The parsed query defaults it
 * to `default`, but a job's own Namespace must win over an absent query value.)
 */
/** What a job write that creates an evaluation answers (Nomad's JobRegisterResponse). */
function answerJobWrite(
  reply: FastifyReply,
  result: { evalID: string; evalCreateIndex: number; jobModifyIndex: number; index: number },
  warnings = '',
) {
  setIndex(reply, result.index);
  return {
    status: 200 as const,
    body: {
      EvalID: result.evalID,
      EvalCreateIndex: result.evalCreateIndex,
      JobModifyIndex: result.jobModifyIndex,
      Warnings: warnings,
      Index: result.index,
    },
  };
}

function queryNamespace(request: FastifyRequest): string {
  const value = (request.query as Record<string, unknown> | undefined)?.namespace;
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

export function jobRoutes(ctx: EndpointContext) {
  const register = async (
    args: RouteArgs<typeof routes.register> | RouteArgs<typeof routes.update>,
    pathJobID?: string,
  ) => {
    const { request, reply } = fastifyOf(args);
    const { body } = args;
    const result = await registerJob(ctx, {
      token: requestToken(request.headers) || body.SecretID,
      job: body.Job,
      // As Nomad's agent: the query's namespace, then the body's, then the job's own.
      namespace: queryNamespace(request) || body.Namespace,
      pathJobID,
      enforceIndex: body.EnforceIndex,
      jobModifyIndex: body.JobModifyIndex,
      preserveCounts: body.PreserveCounts,
      evalPriority: body.EvalPriority,
    });
    return answerJobWrite(reply, result, result.warnings);
  };

  const update = (args: RouteArgs<typeof routes.update>) => register(args, args.params.jobID);

  const scale = async (args: RouteArgs<typeof routes.scale>) => {
    const { request, reply } = fastifyOf(args);
    const { body } = args;
    const result = await scaleJob(ctx, {
      token: requestToken(request.headers) || body.SecretID,
      namespace: args.query.namespace,
      jobID: args.params.jobID,
      count: body.Count,
      target: body.Target ?? {},
      message: body.Message,
      error: body.Error,
      meta: body.Meta,
      jobModifyIndex: body.JobModifyIndex,
    });
    return answerJobWrite(reply, result);
  };

  const evaluate = async (args: RouteArgs<typeof routes.evaluate>) => {
    const { request, reply } = fastifyOf(args);
    const { body } = args;
    const jobID = args.params.jobID;
    // As Nomad's agent: no body evaluates the path's job; a body must name it, and the same one.
    if (body !== undefined && body.JobID === '') throw badRequest(ErrorText.JobIDMustBeSpecified);
    if (body !== undefined && body.JobID !== jobID) {
      throw badRequest(ErrorText.JobIDNotSameAsJobName);
    }
    const result = await evaluateJob(ctx, {
      token: requestToken(request.headers),
      namespace: args.query.namespace,
      jobID,
      forceReschedule: body?.EvalOptions.ForceReschedule ?? false,
    });
    return answerJobWrite(reply, result);
  };

  // Nomad's jobPlan: a dry run; X-Nomad-Index is the job's current JobModifyIndex.
  const plan = async (args: RouteArgs<typeof routes.plan>) => {
    const { request, reply } = fastifyOf(args);
    const { body } = args;
    const result = await planJob(ctx, {
      token: requestToken(request.headers) || body.SecretID,
      job: body.Job,
      namespace: queryNamespace(request) || body.Namespace,
      pathJobID: args.params.jobID,
      diff: body.Diff,
      policyOverride: body.PolicyOverride,
    });
    setIndex(reply, result.Index);
    return { status: 200 as const, body: result };
  };

  // Nomad's JobsParseRequest: the namespace is the query's (or the default), as Nomad's agent.
  const parse = async (args: RouteArgs<typeof routes.parse>) => {
    const { request } = fastifyOf(args);
    const { body } = args;
    const job = await parseJob(ctx, {
      token: requestToken(request.headers),
      namespace: args.query.namespace,
      jobHCL: body.JobHCL,
      variables: body.Variables,
      canonicalize: body.Canonicalize,
      hclV1: body.HCLv1,
    });
    return { status: 200 as const, body: job };
  };

  return s.router(routes, {
    register,
    registerPost: register,
    parse,
    parsePut: parse,
    update,
    updatePut: update,
    evaluate,
    evaluatePut: evaluate,
    scale,
    scalePut: scale,
    plan,
    planPut: plan,

    scaleStatus: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await jobScaleStatus(ctx, {
        token,
        namespace: args.query.namespace,
        jobID: args.params.jobID,
        blocking,
      });
      if (!result.status) return answerMissing(reply, result, ErrorText.JobNotFound);
      return answerViews(request, reply, result, result.status);
    },

    // Nomad's jobVersions: the body embeds the query meta the headers carry.
    versions: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const { query } = args;
      const result = await jobVersions(ctx, {
        token,
        namespace: query.namespace,
        jobID: args.params.jobID,
        diffs: query.diffs,
        diffTag: query.diff_tag,
        diffVersion: query.diff_version,
        blocking,
      });
      if (result.versions.length === 0) {
        return answerMissing(reply, result, ErrorText.JobVersionsNotFound);
      }
      return answerViews(request, reply, result, {
        Versions: result.versions,
        Diffs: result.diffs,
        Index: result.index,
        LastContact: 0,
        KnownLeader: true,
        NextToken: '',
      });
    },

    list: async (args) => {
      const { reply, token, blocking } = readArgs(args);
      const { query } = args;
      const result = await listJobs(ctx, {
        token,
        namespace: query.namespace,
        ...pageOptions(query),
        meta: query.meta ?? false,
        blocking,
      });
      setQueryMeta(reply, result.index, result.nextToken);
      return { status: 200 as const, body: result.stubs };
    },

    info: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await getJob(ctx, {
        token,
        namespace: args.query.namespace,
        jobID: args.params.jobID,
        blocking,
      });
      if (!result.job) return answerMissing(reply, result, ErrorText.JobNotFound);
      return answerViews(request, reply, result, result.job);
    },

    deregister: async (args) => {
      const { request, reply } = fastifyOf(args);
      const { query } = args;
      const result = await deregisterJob(ctx, {
        token: requestToken(request.headers),
        namespace: query.namespace,
        jobID: args.params.jobID,
        purge: query.purge ?? false,
        evalPriority: query.eval_priority ?? 0,
        noShutdownDelay: query.no_shutdown_delay ?? false,
      });
      setIndex(reply, result.index);
      return {
        status: 200 as const,
        body: {
          EvalID: result.evalID,
          EvalCreateIndex: result.evalCreateIndex,
          JobModifyIndex: result.jobModifyIndex,
          VolumeEvalID: '',
          VolumeEvalIndex: 0,
          Index: result.index,
        },
      };
    },

    allocations: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await jobAllocations(ctx, {
        token,
        namespace: args.query.namespace,
        jobID: args.params.jobID,
        all: args.query.all,
        blocking,
      });
      return answerViews(request, reply, result, result.stubs);
    },

    evaluations: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await jobEvaluations(ctx, {
        token,
        namespace: args.query.namespace,
        jobID: args.params.jobID,
        blocking,
      });
      return answerViews(request, reply, result, result.evaluations);
    },

    summary: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await getJobSummary(ctx, {
        token,
        namespace: args.query.namespace,
        jobID: args.params.jobID,
        blocking,
      });
      if (!result.summary) return answerMissing(reply, result, ErrorText.JobNotFound);
      return answerViews(request, reply, result, result.summary);
    },

    latestDeployment: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await jobDeployments(ctx, {
        token,
        namespace: args.query.namespace,
        jobID: args.params.jobID,
        blocking,
      });
      // Nomad answers `null` when the job has no deployment.
      return answerViews(request, reply, result, result.deployments[0] ?? null);
    },

    deployments: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await jobDeployments(ctx, {
        token,
        namespace: args.query.namespace,
        jobID: args.params.jobID,
        blocking,
      });
      return answerViews(request, reply, result, result.deployments);
    },
  });
}
