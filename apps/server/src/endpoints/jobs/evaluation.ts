// The evaluations the job endpoints create (Nomad's Job.Register and Job.Deregister): pending,
// for the eval broker to hand to the scheduler.
import { EvalStatus, EvaluationSchema, type Evaluation, type Job } from '@berth/contract';
import { randomUUID } from 'node:crypto';

export interface JobEvaluationFields {
  job: Job;
  triggeredBy: string;
  /** The evaluation's priority: the caller's override, else the job's. */
  priority: number;
  /** The JobModifyIndex of the job version the evaluation is for. */
  jobModifyIndex: number;
  /** The index of the write that creates it. */
  index: number;
  /** Unix nanoseconds. */
  now: number;
}

export function jobEvaluation(fields: JobEvaluationFields): Evaluation {
  const { job } = fields;
  return EvaluationSchema.parse({
    ID: randomUUID(),
    Namespace: job.Namespace,
    Priority: fields.priority,
    Type: job.Type,
    TriggeredBy: fields.triggeredBy,
    JobID: job.ID,
    JobModifyIndex: fields.jobModifyIndex,
    Status: EvalStatus.Pending,
    CreateIndex: fields.index,
    ModifyIndex: fields.index,
    CreateTime: fields.now,
    ModifyTime: fields.now,
  });
}

/** Nomad creates no evaluation for a periodic or parameterized job (its children get them). */
export function wantsEvaluation(job: Job): boolean {
  return job.Periodic === null && !(job.ParameterizedJob !== null && !job.Dispatched);
}
