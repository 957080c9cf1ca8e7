// The body of `POST /v1/job/:id/evaluate` (Nomad's structs.JobEvaluateRequest), decoded as Go's
// encoding/json decodes it: keys match case-insensitively, `null` values and unknown keys are
// ignored, a value of the wrong kind fails with Go's text.
import { z } from 'zod';
import { failedToDecodeBody } from '../errors.js';

/** A parsed evaluate body. */
export interface JobEvaluateRequest {
  /** The job to evaluate; must equal the path's (`""` when the body has none). */
  JobID: string;
  /** `EvalOptions.ForceReschedule`: reschedule the job's failed allocations now. */
  EvalOptions: { ForceReschedule: boolean };
}

const jsonKind = (value: unknown): string =>
  Array.isArray(value) ? 'array' : typeof value === 'boolean' ? 'bool' : typeof value;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value of the last key matching `name` case-insensitively (Go's rule), else undefined. */
function field(body: Record<string, unknown>, name: string): unknown {
  let found: unknown;
  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() === name.toLowerCase() && value !== null) found = value;
  }
  return found;
}

/**
 * The evaluate body: `{"JobID": "...", "EvalOptions": {"ForceReschedule": true}}`. An absent body
 * parses to `undefined` (Nomad then evaluates the path's job); `null` parses to the zero request,
 * as Go decodes it. Errors carry the complete 400 text, `Failed to decode body: json: ...`.
 */
export const JobEvaluateRequestSchema = z
  .unknown()
  .transform((body, ctx): JobEvaluateRequest | undefined => {
    const fail = (detail: string) => {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: failedToDecodeBody(`json: ${detail}`),
        fatal: true,
      });
      return z.NEVER;
    };
    if (body === undefined) return undefined;
    const out: JobEvaluateRequest = { JobID: '', EvalOptions: { ForceReschedule: false } };
    if (body === null) return out;
    if (!isObject(body)) {
      return fail(
        `cannot unmarshal ${jsonKind(body)} into Go value of type structs.JobEvaluateRequest`,
      );
    }
    const jobID = field(body, 'JobID');
    if (jobID !== undefined) {
      if (typeof jobID !== 'string') {
        return fail(
          `cannot unmarshal ${jsonKind(jobID)} into Go struct field JobEvaluateRequest.JobID of type string`,
        );
      }
      out.JobID = jobID;
    }
    const options = field(body, 'EvalOptions');
    if (options !== undefined) {
      if (!isObject(options)) {
        return fail(
          `cannot unmarshal ${jsonKind(options)} into Go struct field JobEvaluateRequest.EvalOptions of type structs.EvalOptions`,
        );
      }
      const force = field(options, 'ForceReschedule');
      if (force !== undefined) {
        if (typeof force !== 'boolean') {
          return fail(
            `cannot unmarshal ${jsonKind(force)} into Go struct field JobEvaluateRequest.EvalOptions.ForceReschedule of type bool`,
          );
        }
        out.EvalOptions.ForceReschedule = force;
      }
    }
    return out;
  });
