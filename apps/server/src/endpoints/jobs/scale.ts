// Job.Scale (nomad/job_endpoint.go): set a task group's count — a new job version and a
// `job-scaling` evaluation — and record a scaling event, all in one write. Without a count only
// the event is recorded (an autoscaler reporting a decision or an error).
import {
  EvalTriggeredBy,
  goQuote,
  type Evaluation,
  type Job,
  type ScalingEvent,
} from '@berth/contract';
import { JOB_TRACKED_SCALING_EVENTS } from '../../state/index.js';
import { jobLimits, type EndpointContext } from '../context.js';
import { badRequest, forbidden, notFound } from '../endpoint-error.js';
import { nowNanos } from '../time.js';
import { enforceIndex } from './enforce-index.js';
import { jobEvaluation, wantsEvaluation } from './evaluation.js';

export interface ScaleJobRequest {
  token: string;
  /** The request's namespace (query, else default). */
  namespace: string;
  jobID: string;
  /** The new count; `null` records an event without changing the count. */
  count: number | null;
  /** Nomad's Target: `Group` (required), `Job`, `Namespace`. */
  target: Record<string, string>;
  message: string;
  error: boolean;
  meta: Record<string, unknown> | null;
  /** When above 0, the scale applies only if the job's JobModifyIndex is this. */
  jobModifyIndex: number;
}

export interface ScaleJobResponse {
  /** The evaluation created ('' when the count did not change or the job is periodic). */
  evalID: string;
  evalCreateIndex: number;
  jobModifyIndex: number;
  index: number;
}

/** A scaling policy bound (`Min`/`Max` of the group's opaque `Scaling` block), if it is a number. */
function bound(policy: unknown, key: 'Min' | 'Max'): number | undefined {
  if (typeof policy !== 'object' || policy === null) return undefined;
  const value = (policy as Record<string, unknown>)[key];
  return typeof value === 'number' ? value : undefined;
}

/** JobScaleRequest.Validate: the checks that need no state, in Nomad's order. */
function validate(request: ScaleJobRequest): string {
  const namespace = request.target.Namespace ?? '';
  if (namespace !== '' && namespace !== request.namespace) {
    throw badRequest('namespace in payload did not match header');
  }
  const jobID = request.target.Job ?? '';
  if (jobID !== '' && jobID !== request.jobID)
    throw badRequest('job ID in payload did not match URL');
  const group = request.target.Group ?? '';
  if (group === '') throw badRequest('missing task group name for scaling action');
  if (request.count !== null) {
    if (request.count < 0) throw badRequest("scaling action count can't be negative");
    if (request.error) {
      throw badRequest('scaling action should not contain count if error is true');
    }
  }
  return group;
}

export async function scaleJob(
  ctx: EndpointContext,
  request: ScaleJobRequest,
): Promise<ScaleJobResponse> {
  const identity = ctx.acl.resolve(request.token);
  if (
    !identity.allows(request.namespace, 'scale-job') &&
    !identity.allows(request.namespace, 'submit-job')
  ) {
    throw forbidden();
  }
  const groupName = validate(request);
  const { store } = ctx;
  const { jobMaxCount } = jobLimits(ctx);

  let evaluation: Evaluation | undefined;
  let jobModifyIndex = 0;
  const index = await store.write((tx) => {
    const job = tx.job(request.namespace, request.jobID);
    if (!job) throw notFound(`job ${goQuote(request.jobID)} not found`);
    const count = request.count;
    if (job.Type === 'system' && count !== null && count > 1) {
      throw badRequest('jobs of type "system" can only be scaled between 0 and 1');
    }
    const groups = job.TaskGroups ?? [];
    const group = groups.find((g) => g.Name === groupName);
    if (!group) {
      throw badRequest(
        `task group ${goQuote(groupName)} specified for scaling does not exist in job`,
      );
    }
    const now = nowNanos();
    jobModifyIndex = job.ModifyIndex;

    if (count !== null) {
      const policy = group.Scaling;
      const min = bound(policy, 'Min');
      const max = bound(policy, 'Max');
      if (min !== undefined && count < min) {
        throw badRequest(`group count was less than scaling policy minimum: ${count} < ${min}`);
      }
      if (max !== undefined && max < count) {
        throw badRequest(`group count was greater than scaling policy maximum: ${count} > ${max}`);
      }
      const total = groups.reduce((sum, g) => sum + g.Count, 0) - group.Count + count;
      if (jobMaxCount > 0 && total > jobMaxCount) {
        throw badRequest(
          `total count was greater than configured job_max_count: ${total} > ${jobMaxCount}`,
        );
      }
      if (request.jobModifyIndex > 0) enforceIndex(job, request.jobModifyIndex);

      const scaled: Job = {
        ...job,
        TaskGroups: groups.map((g) => (g === group ? { ...g, Count: count } : g)),
        Version: job.Version + 1,
        ModifyIndex: tx.index,
        JobModifyIndex: tx.index,
        SubmitTime: now,
        Stable: false,
      };
      tx.upsertJob(scaled);
      jobModifyIndex = tx.index;
      if (wantsEvaluation(scaled)) {
        evaluation = jobEvaluation({
          job: scaled,
          triggeredBy: EvalTriggeredBy.Scaling,
          priority: scaled.Priority,
          jobModifyIndex: tx.index,
          index: tx.index,
          now,
        });
        tx.upsertEval(evaluation);
      }
    }

    const event: ScalingEvent = {
      Time: now,
      Count: count,
      PreviousCount: group.Count,
      Message: request.message,
      Error: request.error,
      Meta: request.meta,
      EvalID: evaluation?.ID ?? null,
      CreateIndex: tx.index,
    };
    const existing = tx.scalingEvents(job.Namespace, job.ID);
    const previous = existing?.ScalingEvents[groupName] ?? [];
    tx.upsertScalingEvents({
      Namespace: job.Namespace,
      JobID: job.ID,
      ScalingEvents: {
        ...existing?.ScalingEvents,
        [groupName]: [event, ...previous].slice(0, JOB_TRACKED_SCALING_EVENTS),
      },
      ModifyIndex: tx.index,
    });
  });
  return {
    evalID: evaluation?.ID ?? '',
    evalCreateIndex: evaluation ? index : 0,
    jobModifyIndex,
    index,
  };
}
