// A job's versions (Nomad's `GET /v1/job/:id/versions`): the query with its diff options, and
// the JobVersionsResponse body.
import { z } from 'zod';
import { failedToParseBool } from '../errors.js';
import { goQuote } from '../go/quote.js';
import { parseGoBool } from '../go/parse-bool.js';
import { queryOptionsShape, queryParam } from '../query.js';
import { JobDiffSchema } from './job-diff.js';
import { JobSchema } from './job.js';
import { goBoolField, goInt, goString } from './wire.js';

const UINT64_MAX = (1n << 64n) - 1n;

/**
 * `diff_version`, read as Go's `strconv.ParseUint(v, 10, 64)`: digits only (no sign), at most
 * 2^64-1; absent or empty means not given. Kept as a bigint, so a number past 2^53 is still
 * named exactly in `version N not found`.
 */
const diffVersionParam = queryParam<string | number, bigint | undefined>((raw) => {
  if (raw === undefined || raw === '') return undefined;
  const fail = (reason: string) => ({
    error: `Failed to parse value of "diff_version" (${raw}) as a uint64: strconv.ParseUint: parsing ${goQuote(raw)}: ${reason}`,
  });
  if (!/^\d+$/.test(raw)) return fail('invalid syntax');
  const n = BigInt(raw);
  return n > UINT64_MAX ? fail('value out of range') : n;
});

/**
 * Query of the versions read, in Nomad's order: `diffs` (compute diffs), `diff_tag` (diff
 * every version against the version with this tag), `diff_version` (against this version),
 * then the shared read options.
 */
export const JobVersionsQuerySchema = z.object({
  /** Answer `Diffs`: each version against the next older one (or the chosen one). */
  diffs: queryParam<string | boolean, boolean>((raw) => {
    if (raw === undefined || raw === '') return false;
    return parseGoBool(raw) ?? { error: failedToParseBool('diffs', raw) };
  }),
  /** With `diffs`, compare every version with the one tagged with this name. */
  diff_tag: queryParam<string, string>((raw) => raw ?? ''),
  /** With `diffs`, compare every version with this version. */
  diff_version: diffVersionParam,
  ...queryOptionsShape,
});

/** Parsed versions query. */
export type JobVersionsQuery = z.infer<typeof JobVersionsQuerySchema>;

const JobVersionsResponseShape = {
  /** The job's versions, newest first. */
  Versions: z.array(JobSchema),
  /** With `diffs=true`: one diff per version (from the next older one), else `null`. */
  Diffs: z.array(JobDiffSchema).nullable().default(null),
  /** The embedded QueryMeta, as Nomad sends it in the body too (the headers carry the same). */
  Index: goInt(),
  /** Nanoseconds since the answering server last heard from the leader. */
  LastContact: goInt(),
  KnownLeader: goBoolField(),
  NextToken: goString(),
};

/** The zod type of {@link JobVersionsResponseSchema} (named, so declaration files stay small). */
export interface JobVersionsResponseSchemaType extends z.ZodObject<
  typeof JobVersionsResponseShape
> {}

/** The versions read's body (Nomad's `JobVersionsResponse`, with its query meta). */
export const JobVersionsResponseSchema: JobVersionsResponseSchemaType =
  z.object(JobVersionsResponseShape);

/** A versions read's body as sent on the wire. */
export type JobVersionsResponse = z.infer<typeof JobVersionsResponseSchema>;
