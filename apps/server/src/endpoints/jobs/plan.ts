// Job.Plan (nomad/job_endpoint.go): a dry run of the scheduler. The job is admitted as register
// admits it, the version register would store is put in place of the current one in a read-only
// view of the state, and the real scheduler runs once on an `AnnotatePlan` evaluation through a
// planner that records instead of applying (../../scheduler/dry-run/). Nothing is written.
import {
  EvalTriggeredBy,
  EvaluationSchema,
  ErrorText,
  goQuote,
  type Job,
  type JobPlanResponse,
} from '@berth/contract';
import { randomUUID } from 'node:crypto';
import { annotateDiff, dryRun, PlanGate } from '../../scheduler/dry-run/index.js';
import { genericSchedulerWith } from '../../scheduler/generic/index.js';
import type { SchedulerFactory } from '../../scheduler/types.js';
import { unknownScheduler } from '../../scheduler/worker/worker.js';
import type { StateStore } from '../../state/index.js';
import { jobLimits, type EndpointContext } from '../context.js';
import { badRequest, EndpointError, forbidden } from '../endpoint-error.js';
import { nowNanos } from '../time.js';
import { admitJob } from './admission.js';
import { jobDiff } from './diff/index.js';
import { jobVersionToStore } from './new-version.js';
import { CronSpecError, nextPeriodicLaunch } from './periodic-next.js';

export interface PlanJobRequest {
  token: string;
  /** The job as submitted (the decoded body's fields only); `null` when the body has none. */
  job: object | null;
  /** The namespace the request names (query, then body); `''` for the job's own. */
  namespace: string;
  /** The job ID of the path, which the job's must equal. */
  pathJobID: string;
  /** Answer the difference from the current job, annotated with the scheduler's decisions. */
  diff: boolean;
  /** Override soft-mandatory Sentinel policies (needs `sentinel-override`; berth has none). */
  policyOverride: boolean;
}

/** One plan at a time per state store (see plan-gate.ts). */
const gates = new WeakMap<StateStore, PlanGate>();

function gateOf(store: StateStore): PlanGate {
  let gate = gates.get(store);
  if (gate === undefined) {
    gate = new PlanGate();
    gates.set(store, gate);
  }
  return gate;
}

/** The scheduler of a job type, with the limits the server's own schedulers have. */
function schedulerFor(ctx: EndpointContext, type: string): SchedulerFactory {
  if (type !== 'service' && type !== 'batch') {
    // berth schedules only these; register stores others, whose evaluations then fail the same way.
    throw badRequest(unknownScheduler(type));
  }
  return genericSchedulerWith({ jobMaxCount: jobLimits(ctx).jobMaxCount });
}

export async function planJob(
  ctx: EndpointContext,
  request: PlanJobRequest,
): Promise<JobPlanResponse> {
  const identity = ctx.acl.resolve(request.token);
  // Nomad's agent checks these before the server sees the request.
  const submitted = request.job as Record<string, unknown> | null;
  if (!submitted) throw badRequest(ErrorText.JobMustBeSpecified);
  if (typeof submitted.ID !== 'string') throw badRequest(ErrorText.JobMustHaveValidID);
  if (submitted.ID !== request.pathJobID) throw badRequest(ErrorText.JobIDDoesNotMatch);

  // As in Nomad, admission (canonicalise, validate) comes before authorisation.
  const job = admitJob(ctx, submitted, request.namespace);
  const namespace = job.Namespace;
  if (!identity.allows(namespace, 'submit-job') && !identity.allows(namespace, 'plan-job')) {
    throw forbidden();
  }
  if (request.policyOverride && !identity.allows(namespace, 'sentinel-override')) {
    throw forbidden();
  }
  const scheduler = schedulerFor(ctx, job.Type);

  const ran = await gateOf(ctx.store).run(() => planAdmitted(ctx, job, scheduler, request.diff));
  if (!ran.ok) {
    throw new EndpointError(429, 'too many job plans in progress; retry later');
  }
  return ran.value;
}

/** Nomad's NextPeriodicLaunch: the next launch of an enabled periodic job, else Go's zero time. */
async function periodicLaunch(job: Job): Promise<string> {
  try {
    return await nextPeriodicLaunch(job.Periodic, Date.now());
  } catch (error) {
    if (error instanceof CronSpecError) {
      throw badRequest(`Failed to parse cron expression: ${error.message}`);
    }
    // Intl's answer to a time zone it does not know.
    if (error instanceof RangeError) {
      throw badRequest(`Invalid time zone ${goQuote(job.Periodic?.TimeZone ?? '')}`);
    }
    throw error;
  }
}

async function planAdmitted(
  ctx: EndpointContext,
  job: Job,
  scheduler: SchedulerFactory,
  wantDiff: boolean,
): Promise<JobPlanResponse> {
  const store = ctx.store;
  const existing = store.jobByID(job.Namespace, job.ID);
  const now = nowNanos();
  // The version register would store if no other write came first; none for an unchanged spec,
  // whose current version the scheduler then reads (as Nomad's plan does).
  const proposed = jobVersionToStore(store, existing, job, store.latestIndex() + 1, now);
  const evaluation = EvaluationSchema.parse({
    ID: randomUUID(),
    Namespace: job.Namespace,
    Priority: job.Priority,
    Type: job.Type,
    TriggeredBy: EvalTriggeredBy.JobRegister,
    JobID: job.ID,
    // Nomad's: the new version's JobModifyIndex when an existing job changes, else 0.
    JobModifyIndex: existing && proposed ? proposed.JobModifyIndex : 0,
    Status: 'pending',
    AnnotatePlan: true,
    CreateTime: now,
    ModifyTime: now,
  });
  const result = await dryRun(store, proposed ?? null, evaluation, scheduler);
  const annotations = result.plan.annotations ?? null;
  const index = existing?.JobModifyIndex ?? 0;
  return {
    Annotations: annotations,
    FailedTGAllocs: result.evaluation.FailedTGAllocs,
    JobModifyIndex: index,
    CreatedEvals: result.createdEvals.length > 0 ? result.createdEvals : null,
    // Nomad's plan always diffs contextually (unchanged fields beside the changed ones).
    Diff: wantDiff ? annotateDiff(jobDiff(existing, proposed ?? job, true), annotations) : null,
    // As Nomad, after the scheduler ran.
    NextPeriodicLaunch: await periodicLaunch(job),
    Warnings: '',
    Index: index,
  };
}
