// Nomad's job validation on register: structs.Job.Validate and the server's jobValidate admission
// check (priority within job_max_priority, no payload, counts within job_max_count), plus
// berth's namespace check. Problems are listed in Nomad's
// order; nested lists (a group's, a task's) are formatted as go-multierror formats them.
import { formatGoInt, goQuote, type Job } from '@berth/contract';
import { DEFAULT_JOB_LIMITS, type JobLimits } from '../../context.js';
import { JOB_MIN_PRIORITY } from '../defaults.js';
import { validateAffinity, validateConstraint, validateSpread } from './constraint.js';
import { nested } from './errors.js';
import { validateTaskGroup } from './task-group.js';

const JOB_TYPES = new Set(['service', 'batch', 'system', 'sysbatch']);

/**
 * The longest job ID, in UTF-8 bytes (berth's own limit; Nomad has none). A job is read, stopped
 * and deleted through `/v1/job/<ID>`: percent-encoded, 2,048 bytes make a 6,144-character path
 * segment, well inside Node's 16 KiB for the request line and headers.
 */
export const MAX_JOB_ID_BYTES = 2048;

export interface ValidateJobOptions {
  /** True if the namespace exists (the job's namespace is checked only when given). */
  namespaceExists?: (name: string) => boolean;
  /** The server's `job_max_priority` and `job_max_count` (Nomad's defaults when absent). */
  limits?: JobLimits;
}

/** Every problem of a canonicalised job, in Nomad's order and words; empty when it is valid. */
export function validateJob(job: Job, options: ValidateJobOptions = {}): string[] {
  const { jobMaxCount, jobMaxPriority } = options.limits ?? DEFAULT_JOB_LIMITS;
  const errors: string[] = [];
  if (job.Region === '') errors.push('Missing job region');
  if (job.ID === '') errors.push('Missing job ID');
  else if (job.ID.includes(' ')) errors.push('Job ID contains a space');
  else if (job.ID.includes('\0')) errors.push('Job ID contains a null character');
  if (Buffer.byteLength(job.ID) > MAX_JOB_ID_BYTES) {
    errors.push(
      `Job ID must be at most ${MAX_JOB_ID_BYTES} bytes; got ${Buffer.byteLength(job.ID)}`,
    );
  }
  if (job.Name === '') errors.push('Missing job name');
  else if (job.Name.includes('\0')) errors.push('Job Name contains a null character');
  if (job.Namespace === '') errors.push('Job must be in a namespace');

  const type: string = job.Type;
  if (type === '') errors.push('Missing job type');
  else if (!JOB_TYPES.has(type) && type !== '_core')
    errors.push(`Invalid job type: ${goQuote(type)}`);

  if (!job.Datacenters?.length) errors.push('Missing job datacenters');
  else if (job.Datacenters.some((dc) => dc === '')) {
    errors.push('Job datacenter must be non-empty string');
  }
  if (!job.TaskGroups?.length) errors.push('Missing job task groups');

  (job.Constraints ?? []).forEach((c, i) => {
    errors.push(...nested(`Constraint ${i + 1} validation failed: `, validateConstraint(c)));
  });
  if (type === 'system') {
    if (job.Affinities) errors.push('System jobs may not have an affinity block');
    if (job.Spreads) errors.push('System jobs may not have a spread block');
  } else {
    (job.Affinities ?? []).forEach((a, i) => {
      errors.push(...nested(`Affinity ${i + 1} validation failed: `, validateAffinity(a)));
    });
    (job.Spreads ?? []).forEach((s, i) => {
      errors.push(...nested(`Spread ${i + 1} validation failed: `, validateSpread(s)));
    });
  }

  const groups = new Map<string, number>();
  (job.TaskGroups ?? []).forEach((tg, i) => {
    if (tg.Name === '') {
      errors.push(`Job task group ${i + 1} missing name`);
    } else if (groups.has(tg.Name)) {
      errors.push(
        `Job task group ${i + 1} redefines '${tg.Name}' from group ${groups.get(tg.Name)! + 1}`,
      );
    } else {
      groups.set(tg.Name, i);
    }
    if (tg.ShutdownDelay !== null && tg.ShutdownDelay < 0) {
      errors.push('ShutdownDelay must be a positive value');
    }
    if (type === 'system' && tg.Count > 1) {
      errors.push(
        `Job task group ${tg.Name} has count ${formatGoInt(tg.Count)}. Count cannot exceed 1 with system scheduler`,
      );
    }
  });
  for (const tg of job.TaskGroups ?? []) {
    errors.push(...nested(`Task group ${tg.Name} validation failed: `, validateTaskGroup(tg, job)));
  }

  if (job.Periodic?.Enabled && type !== 'batch' && type !== 'sysbatch') {
    errors.push('Periodic can only be used with "batch" or "sysbatch" scheduler');
  }
  if (job.ParameterizedJob && !job.Dispatched && type !== 'batch' && type !== 'sysbatch') {
    errors.push('Parameterized job can only be used with "batch" or "sysbatch" scheduler');
  }

  // The server's admission checks.
  if (type === '_core') errors.push('job type cannot be core');
  if (job.Payload) errors.push("job can't be submitted with a payload, only dispatched");
  if (job.Priority < JOB_MIN_PRIORITY || job.Priority > jobMaxPriority) {
    errors.push(`job priority must be between [${JOB_MIN_PRIORITY}, ${jobMaxPriority}]`);
  }
  // Every allocation the scheduler places is one of these, so the limit always holds (Nomad
  // lifts it when set to 0). Summed exactly: counts near 2^63 must not wrap round as Go's do.
  const totalCount = sumCounts(job);
  if (totalCount > jobMaxCount) {
    errors.push(
      `total count was greater than configured job_max_count: ${totalCount} > ${jobMaxCount}`,
    );
  }
  // Nomad's state store refuses this when applying the write; berth lists it with the rest.
  if (job.Namespace !== '' && options.namespaceExists && !options.namespaceExists(job.Namespace)) {
    errors.push(`job ${goQuote(job.ID)} is in nonexistent namespace ${goQuote(job.Namespace)}`);
  }
  return errors;
}

/** The total of the groups' counts: exact for integers (the decoder lets only those in). */
function sumCounts(job: Job): bigint | number {
  const counts = (job.TaskGroups ?? []).map((tg) => tg.Count);
  return counts.every(Number.isInteger)
    ? counts.reduce((sum, count) => sum + BigInt(count), 0n)
    : counts.reduce((sum, count) => sum + count, 0);
}
