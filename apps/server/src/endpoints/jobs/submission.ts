// A submitted job (the decoded register body: only the fields that were sent) made into a complete
// Job object, every absent field at Go's zero value, before canonicalisation fills Nomad's defaults.
import { JobSchema, type Job } from '@berth/contract';
import { badRequest } from '../endpoint-error.js';

type Json = Record<string, unknown>;

/**
 * The complete object of a submitted job. Fields the schema requires but a bad job may lack (the
 * job's ID, group and task names) become `""`, and a `Type` outside the known ones is kept as
 * sent, so that validation, not parsing, reports them with Nomad's texts.
 */
export function jobFromSubmission(submitted: object): Job {
  const raw = submitted as Json;
  const type = raw.Type;
  const known =
    typeof type !== 'string' || ['service', 'batch', 'system', 'sysbatch'].includes(type);
  const parsed = JobSchema.safeParse({
    ...raw,
    ID: raw.ID ?? '',
    Type: known ? type : undefined,
    TaskGroups: list(raw.TaskGroups)?.map((tg) => ({
      ...tg,
      Name: tg.Name ?? '',
      Tasks: list(tg.Tasks)?.map((t) => ({ ...t, Name: t.Name ?? '' })),
    })),
  });
  if (!parsed.success) {
    // The contract's decoder already checked every JSON kind; this is a last line of defence.
    const issue = parsed.error.issues[0];
    throw badRequest(`Invalid job: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`);
  }
  // An unknown type is kept for validation to name; it never reaches the state.
  return known ? parsed.data : ({ ...parsed.data, Type: type } as unknown as Job);
}

function list(value: unknown): Json[] | undefined {
  return Array.isArray(value) ? (value as Json[]) : (value as undefined);
}
