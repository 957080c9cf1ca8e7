// Query-string options, defined once. Each parser reproduces Nomad's (command/agent/http.go) and
// fails with its exact text. Keys are declared in the order Nomad checks them: zod reports issues
// in shape order, and the server answers the first issue, so the 400 text is the one Nomad gives.
import { z } from 'zod';
import { parseGoBool } from './go/parse-bool.js';
import { parseGoDurationBig } from './go/duration.js';
import { ErrorText, failedToParseBool, failedToParseInt } from './errors.js';
import { DEFAULT_NAMESPACE } from './schemas/namespace.js';

const UINT64_MAX = (1n << 64n) - 1n;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MAX = (1n << 63n) - 1n;

/**
 * The raw text of a query value: `undefined` when absent. A repeated key arrives as an array from
 * fastify; Go reads the first value. Numbers and booleans come from typed callers (the client).
 */
function rawValue(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (first === undefined || first === null) return undefined;
  if (typeof first === 'string') return first;
  if (typeof first === 'number' || typeof first === 'boolean' || typeof first === 'bigint') {
    return String(first);
  }
  return undefined;
}

/**
 * A query parameter: `parse` gets the raw text (or `undefined` when absent) and returns the value
 * or an error text. Typed as accepting `TIn` so ts-rest gives the client precise argument types.
 */
export function queryParam<TIn, TOut>(
  parse: (raw: string | undefined) => TOut | { error: string },
) {
  return z.unknown().transform((value, ctx) => {
    const result = parse(rawValue(value));
    if (typeof result === 'object' && result !== null && 'error' in result) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: result.error, fatal: true });
      return z.NEVER;
    }
    return result;
  }) as unknown as z.ZodType<TOut, z.ZodTypeDef, TIn | undefined>;
}

/** A parameter taken verbatim; `fallback` when absent or empty. */
const verbatim = <T extends string | undefined>(fallback: T) =>
  queryParam<string, string | T>((raw) => (raw === undefined || raw === '' ? fallback : raw));

/** `stale`: present and empty (`?stale`) means true; otherwise Go's ParseBool. */
export const staleParam = queryParam<string | boolean, boolean>((raw) => {
  if (raw === undefined) return false;
  if (raw === '') return true;
  return parseGoBool(raw) ?? { error: ErrorText.InvalidStale };
});

/** `per_page`: a signed 32-bit decimal; 0 (or absent) means no limit. */
export const perPageParam = queryParam<string | number, number>((raw) => {
  if (raw === undefined || raw === '') return 0;
  const n = /^[+-]?\d+$/.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX
    ? n
    : { error: ErrorText.InvalidPerPage };
});

/** `reverse`: true only for the exact text `true` (`1` and `True` are false, as in Nomad). */
export const reverseParam = queryParam<string | boolean, boolean>((raw) => raw === 'true');

/**
 * `wait`: a Go duration (`10s`, `1m30s`, `500ms`; units required except for `0`). Output in
 * milliseconds (may be fractional); 0 when absent. The server clamps it (0 or > 5 min → 5 min).
 */
export const waitParam = queryParam<string, number>((raw) => {
  if (raw === undefined || raw === '') return 0;
  const ns = parseGoDurationBig(raw);
  return ns === undefined ? { error: ErrorText.InvalidWaitTime } : Number(ns) / 1e6;
});

/** `index`: an unsigned 64-bit decimal, the minimum index a blocking query waits past; 0 when absent. */
export const indexParam = queryParam<string | number, number>((raw) => {
  if (raw === undefined || raw === '') return 0;
  if (!/^\d+$/.test(raw) || BigInt(raw) > UINT64_MAX) return { error: ErrorText.InvalidIndex };
  return Number(raw);
});

/** `pretty`: present with any value but `0` (an empty value included) means indented JSON. */
export const prettyParam = queryParam<string, boolean>((raw) => {
  if (raw === undefined) return false;
  return raw !== '0';
});

/**
 * An endpoint boolean read with Nomad's `parseBool`: empty or absent is `undefined` (not given),
 * else Go's ParseBool, else `Failed to parse value of "<field>" (<value>) as a bool: ...`.
 */
export function goBool(field: string) {
  return queryParam<string | boolean, boolean | undefined>((raw) => {
    if (raw === undefined || raw === '') return undefined;
    return parseGoBool(raw) ?? { error: failedToParseBool(field, raw) };
  });
}

/**
 * An endpoint integer read with Nomad's `parseInt` (Go's `strconv.Atoi`): empty or absent is
 * `undefined`, else a signed 64-bit decimal, else
 * `Failed to parse value of "<field>" (<value>) as a int: strconv.Atoi: parsing ...`.
 */
export function goInt(field: string) {
  return queryParam<string | number, number | undefined>((raw) => {
    if (raw === undefined || raw === '') return undefined;
    if (!/^[+-]?\d+$/.test(raw)) return { error: failedToParseInt(field, raw, 'invalid syntax') };
    const n = BigInt(raw);
    if (n > INT64_MAX || n < -INT64_MAX - 1n) {
      return { error: failedToParseInt(field, raw, 'value out of range') };
    }
    return Number(n);
  });
}

/**
 * A boolean Nomad reads as `strconv.ParseBool` ignoring the error (`all` of a job's
 * allocations): Go's true texts are true, anything else (a bad value included) is false.
 */
export const lenientBoolParam = queryParam<string | boolean, boolean>((raw) =>
  raw === undefined ? false : (parseGoBool(raw) ?? false),
);

/** A boolean Nomad compares with the text `true` (`related`): anything else is false. */
export const exactTrueParam = queryParam<string | boolean, boolean>((raw) => raw === 'true');

/**
 * The options every read (and Signal/Restart) parses, in Nomad's `parse()` order: region, stale,
 * prefix, namespace, per_page, next_token, filter, reverse, wait, index; then `pretty`. Unknown
 * keys are ignored. Output defaults: namespace `default`, numbers 0, booleans false.
 */
export const queryOptionsShape = {
  /** The region to answer from; absent means the agent's own. */
  region: verbatim(undefined),
  /** Allow any server to answer, possibly behind the leader. */
  stale: staleParam,
  /** Only objects whose ID starts with this (even number of hex digits). */
  prefix: verbatim(''),
  /** The namespace; `*` means all namespaces the caller may read. */
  namespace: verbatim(DEFAULT_NAMESPACE),
  /** Page size; 0 means unlimited. */
  per_page: perPageParam,
  /** Resume a list at this token (from `X-Nomad-NextToken`). */
  next_token: verbatim(''),
  /** A go-bexpr filter expression. */
  filter: verbatim(''),
  /** Reverse the list order. */
  reverse: reverseParam,
  /** Longest time to block, in milliseconds once parsed. */
  wait: waitParam,
  /** Block until the data's index is past this one. */
  index: indexParam,
  /** Indent the JSON answer. */
  pretty: prettyParam,
};

/** The shared query options of reads. */
export const QueryOptionsSchema = z.object(queryOptionsShape);

/** Parsed query options, as the server sees them. */
export type QueryOptions = z.infer<typeof QueryOptionsSchema>;

/** Query options as a caller may pass them (strings, numbers, booleans; all optional). */
export type QueryOptionsInput = z.input<typeof QueryOptionsSchema>;

/**
 * The options of writes (Nomad's `parseWriteRequest`): namespace, region, idempotency_token.
 * None of them can fail.
 */
export const writeOptionsShape = {
  /** The namespace (object endpoints authorise against the object's own). */
  namespace: verbatim(DEFAULT_NAMESPACE),
  /** The region to answer from; absent means the agent's own. */
  region: verbatim(undefined),
  /** Accepted and unused by the allocation endpoints, as in Nomad. */
  idempotency_token: verbatim(''),
};

/** The shared options of writes. */
export const WriteOptionsSchema = z.object(writeOptionsShape);

/** Parsed write options. */
export type WriteOptions = z.infer<typeof WriteOptionsSchema>;
