// The body of `PUT|POST /v1/jobs/parse` (Nomad's api.JobsParseRequest) and its answer, an HCL2
// jobspec turned into the API's Job. The body is decoded as Go's encoding/json decodes it: keys
// match case-insensitively, `null` values and unknown keys are ignored, a value of the wrong kind
// fails with Go's text (Nomad answers it with a 400 as it is, without a prefix).
import { z } from 'zod';
import { ErrorText } from '../errors.js';
import type { JobSubmissionInput } from './job-register.js';

/** A parsed parse body. */
export interface JobsParseRequest {
  /** The HCL2 jobspec (400 `Job spec is empty` when empty). */
  JobHCL: string;
  /** A variables file's text, `name = value` lines, for the jobspec's `variable` blocks. */
  Variables: string;
  /** Answer the job with the API's defaults filled in, as `Job.Canonicalize` does. */
  Canonicalize: boolean;
  /** HCL1 syntax (older Nomad clients): berth has no HCL1 parser and answers 400. */
  HCLv1: boolean;
}

/** The 400 text of an empty `JobHCL`. */
export const JOB_SPEC_EMPTY = 'Job spec is empty';

/** The 400 text of `HCLv1: true`. */
export const HCL1_NOT_SUPPORTED =
  'HCL1 jobspecs are not supported: send the job as HCL2 (HCLv1 false), or as JSON to /v1/jobs';

const jsonKind = (value: unknown): string =>
  Array.isArray(value) ? 'array' : typeof value === 'boolean' ? 'bool' : typeof value;

const FIELDS = [
  ['JobHCL', 'string'],
  ['Variables', 'string'],
  ['Canonicalize', 'bool'],
  ['HCLv1', 'bool'],
] as const;

/**
 * The parse body `{"JobHCL": "...", "Variables": "...", "Canonicalize": bool, "HCLv1": bool}`.
 * No body is 400 `Request body is empty`, as Nomad; `null` decodes to the zero request.
 */
export const JobsParseRequestSchema = z.unknown().transform((body, ctx): JobsParseRequest => {
  const fail = (message: string) => {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message, fatal: true });
    return z.NEVER;
  };
  if (body === undefined) return fail(ErrorText.RequestBodyIsEmpty);
  const out: JobsParseRequest = { JobHCL: '', Variables: '', Canonicalize: false, HCLv1: false };
  if (body === null) return out;
  if (typeof body !== 'object' || Array.isArray(body)) {
    return fail(
      `json: cannot unmarshal ${jsonKind(body)} into Go value of type api.JobsParseRequest`,
    );
  }
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    const known = FIELDS.find(([name]) => name.toLowerCase() === key.toLowerCase());
    if (known === undefined || value === null) continue;
    const [name, kind] = known;
    if (jsonKind(value) !== (kind === 'bool' ? 'bool' : 'string')) {
      return fail(
        `json: cannot unmarshal ${jsonKind(value)} into Go struct field JobsParseRequest.${name} of type ${kind}`,
      );
    }
    (out as unknown as Record<string, unknown>)[name] = value;
  }
  return out;
});

/**
 * The parsed job: the fields the jobspec set (and, with `Canonicalize`, every default), as
 * Nomad's api.Job, ready for `register`.
 */
export const JobsParseResponseSchema = z.custom<JobSubmissionInput>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'a job object',
);
