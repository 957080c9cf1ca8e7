// Nomad's acl.Parse: a policy's HCL or JSON rules to a validated Policy. The rules are bounded
// in size and nesting, decoded by hcl (hcl.ts, decode.ts), then checked (validate.ts).
import { decodePolicy, DecodeError, DecodePanic } from './decode.js';
import type { RawPolicy } from './decode.js';
import { PolicyParseError } from './errors.js';
import { decodeHcl, PARSE_FAILED } from './hcl.js';
import { goPosition, valuePosition } from './locate.js';
import { MAX_POLICY_NESTING, nestingBeyond } from './nesting.js';
import type { Policy } from './types.js';
import { validatePolicy } from './validate.js';

/**
 * The largest rules accepted, in UTF-8 bytes. Nomad has no limit, but real policies are a few
 * KiB, and parsing costs 3 to 10 ms per KiB: 64 KiB bounds what one parse may cost.
 */
export const MAX_POLICY_BYTES = 64 * 1024;

/** Options of {@link parsePolicy}. */
export interface ParseOptions {
  /**
   * Refuse unknown and repeated top-level blocks (`Invalid or duplicate policy keys: ...`), as
   * Nomad does when a policy is written (true, the default); false reads a stored policy as
   * Nomad does when evaluating one.
   */
  strict?: boolean;
}

/**
 * Parses and validates a policy's rules (Nomad's acl.Parse). Empty rules are an empty policy,
 * as in Nomad. Throws {@link PolicyParseError} with Nomad's text for anything Nomad refuses,
 * and for rules over {@link MAX_POLICY_BYTES} or nested deeper than `MAX_POLICY_NESTING`.
 */
export function parsePolicy(rules: string, options: ParseOptions = {}): Policy {
  if (rules === '') return emptyPolicy();
  checkBounds(rules);
  let raw: RawPolicy;
  try {
    raw = decodePolicy(decodeHcl(rules));
  } catch (error) {
    if (error instanceof DecodeError) {
      throw PolicyParseError.atPosition(
        `${PARSE_FAILED}At ${valuePosition(rules, error.anchors)}: ${error.message}`,
      );
    }
    if (error instanceof DecodePanic) {
      throw new PolicyParseError(`${PARSE_FAILED}invalid acl policy: ${error.message}`);
    }
    throw error;
  }
  if (isEmpty(raw)) throw new PolicyParseError(`Invalid policy: ${rules}`);
  return validatePolicy(raw, rules, options.strict ?? true);
}

function checkBounds(rules: string): void {
  const bytes = Buffer.byteLength(rules, 'utf8');
  if (bytes > MAX_POLICY_BYTES) {
    throw new PolicyParseError(
      `${PARSE_FAILED}the rules are ${bytes} bytes, more than the ${MAX_POLICY_BYTES} allowed`,
    );
  }
  const deep = nestingBeyond(rules, MAX_POLICY_NESTING);
  if (deep !== undefined) {
    throw PolicyParseError.atPosition(
      `${PARSE_FAILED}At ${goPosition(rules, deep)}: nested more than ${MAX_POLICY_NESTING} levels deep`,
    );
  }
}

function isEmpty(raw: RawPolicy): boolean {
  return (
    raw.namespaces.length === 0 &&
    raw.nodePools.length === 0 &&
    raw.hostVolumes.length === 0 &&
    [raw.agent, raw.node, raw.operator, raw.sentinel, raw.quota, raw.plugin].every(
      (b) => b === null,
    )
  );
}

function emptyPolicy(): Policy {
  return {
    namespaces: [],
    hostVolumes: [],
    node: '',
    agent: '',
    operator: '',
    quota: '',
    plugin: '',
    nodePool: [],
    sentinel: '',
  };
}
