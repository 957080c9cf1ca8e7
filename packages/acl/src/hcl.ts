// The bridge to js-hcl-parser (hashicorp/hcl v1 under gopherjs): the parser Nomad's acl.Parse
// uses, with its side effects on the process contained and its failures made PolicyParseErrors.
import { createRequire } from 'node:module';
import { PolicyParseError } from './errors.js';
import type { JsHclParser } from './js-hcl-parser.js';

/** A value of the decoded policy: what hcl.Unmarshal into interface{} gives, as JSON. */
export type HclValue = string | number | boolean | null | HclValue[] | { [key: string]: HclValue };

/** Nomad's prefix for every parse failure (acl.Parse). */
export const PARSE_FAILED = 'Failed to parse ACL Policy: ';

let hcl: JsHclParser | undefined;

/**
 * Loads the parser on first use. gopherjs sets `Error.stackTraceLimit` to Infinity and a global
 * `require` when it loads; both are put back so the rest of the process is unaffected.
 */
function load(): JsHclParser {
  if (hcl !== undefined) return hcl;
  const limit = Error.stackTraceLimit;
  const globals = globalThis as { require?: unknown };
  const hadRequire = 'require' in globals;
  const previousRequire = globals.require;
  try {
    hcl = createRequire(import.meta.url)('js-hcl-parser') as JsHclParser;
  } finally {
    Error.stackTraceLimit = limit;
    if (hadRequire) globals.require = previousRequire;
    else delete globals.require;
  }
  return hcl;
}

/**
 * Decodes `rules` (HCL or JSON) as hcl.Decode would, into plain JSON values. Syntax errors throw
 * Nomad's `Failed to parse ACL Policy: At L:C: ...`; a panic inside the parser throws Nomad's
 * recovered `Failed to parse ACL Policy: invalid acl policy: ...`. The caller bounds the size and
 * nesting of `rules` first.
 */
export function decodeHcl(rules: string): HclValue {
  const parser = load();
  let out: string;
  const limit = Error.stackTraceLimit;
  // gopherjs counts stack frames through Error().stack to pair panics with recovers.
  Error.stackTraceLimit = Infinity;
  try {
    out = parser.parse(rules);
  } catch (thrown) {
    // Go panics surface as thrown values, not always Errors; Nomad's hclDecode recovers them.
    throw new PolicyParseError(`${PARSE_FAILED}invalid acl policy: ${describe(thrown)}`);
  } finally {
    Error.stackTraceLimit = limit;
  }
  for (const prefix of ['unable to parse JSON: ', 'unable to print JSON: ']) {
    if (out.startsWith(prefix)) {
      throw PolicyParseError.atPosition(PARSE_FAILED + out.slice(prefix.length));
    }
  }
  return JSON.parse(out) as HclValue;
}

function describe(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'string') return thrown;
  if (typeof thrown === 'object' && thrown !== null) {
    const record = thrown as { message?: unknown; $val?: unknown };
    if (typeof record.message === 'string') return record.message;
    if (typeof record.$val === 'string') return record.$val;
  }
  return String(thrown);
}
