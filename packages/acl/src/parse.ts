// Nomad's acl.Parse: a policy's HCL or JSON rules to a validated Policy, refused with Nomad's
// texts (acl/policy.go), each naming the line of the rule or value at fault where it is found.
import {
  expandHostVolumePolicy,
  expandNamespacePolicy,
  expandNodePoolPolicy,
  expandOperatorPolicy,
  expandSentinelPolicy,
  expandVariablesCapabilities,
  HOST_VOLUME_CAPABILITIES,
  impliedNamespaceCapabilities,
  isOneOf,
  isPluginPolicyValid,
  isPolicyValid,
  NAMESPACE_CAPABILITIES,
  NODE_POOL_CAPABILITIES,
  OPERATOR_CAPABILITIES,
  SENTINEL_CAPABILITIES,
  VARIABLES_CAPABILITIES,
} from './capabilities.js';
import { decodePolicy, DecodeError, DecodePanic } from './decode.js';
import type { RawCoarse, RawNamespace, RawPolicy, RawRule } from './decode.js';
import { PolicyParseError } from './errors.js';
import { goQuote, goSortStrings, goStruct } from './go-format.js';
import { decodeHcl, PARSE_FAILED } from './hcl.js';
import { goPosition, lastWord, lineAt, lineOfAnchors, valuePosition } from './locate.js';
import { MAX_POLICY_NESTING, nestingBeyond } from './nesting.js';
import type {
  CoarsePolicy,
  HostVolumeRule,
  NamespaceCapability,
  NamespaceRule,
  NodePoolRule,
  Policy,
  VariablesPathRule,
} from './types.js';

/** The largest rules accepted, in UTF-8 bytes: parsing takes about 3 µs a byte, 18 at worst. */
export const MAX_POLICY_BYTES = 128 * 1024;

/** Options of {@link parsePolicy}. */
export interface ParseOptions {
  /**
   * Refuse unknown and repeated top-level blocks (`Invalid or duplicate policy keys: ...`), as
   * Nomad does when a policy is written (true, the default); false reads a stored policy as
   * Nomad does when evaluating one.
   */
  strict?: boolean;
}

/** Where a fault is: the words leading to it in the text, its line, or unknown. */
type Where = readonly string[] | number | null;

const VALID_NAME = /^[a-zA-Z0-9*-]{1,128}$/;
const VALID_NODE_POOL = /^[a-zA-Z0-9_*-]{1,128}$/;

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
  return validate(raw, rules, options.strict ?? true);
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

/** Nomad's checks, in Nomad's order, then the shorthands expanded. */
function validate(raw: RawPolicy, rules: string, strict: boolean): Policy {
  // `where`: the words leading to the fault, or its line, or null when it cannot be found.
  const refuse = (message: string, where: Where): never => {
    const line =
      where === null ? undefined : typeof where === 'number' ? where : lineOfAnchors(rules, where);
    throw PolicyParseError.atLine(message, line);
  };
  const at = (rule: RawRule, ...rest: string[]) => (rule.labelled ? [rule.name, ...rest] : null);
  const extraKeys = [...raw.extraKeys];
  const used = (key: string) => {
    const i = extraKeys.indexOf(key);
    if (i >= 0) extraKeys.splice(i, 1);
  };

  const namespaces = raw.namespaces.map((ns): NamespaceRule => {
    if (!VALID_NAME.test(ns.name)) refuse(`Invalid namespace name: ${goNamespace(ns)}`, at(ns));
    if (ns.policy !== '' && !isPolicyValid(ns.policy)) {
      refuse(`Invalid namespace policy: ${goNamespace(ns)}`, at(ns, ns.policy));
    }
    const written: NamespaceCapability[] = [];
    for (const cap of ns.capabilities ?? []) {
      if (!isOneOf(NAMESPACE_CAPABILITIES, cap)) {
        refuse(`Invalid namespace capability '${cap}': ${goNamespace(ns)}`, at(ns, cap));
      }
      written.push(cap as NamespaceCapability);
    }
    const capabilities = [...written, ...expandNamespacePolicy(ns.policy)];
    capabilities.push(...impliedNamespaceCapabilities(capabilities));
    const rule: NamespaceRule = { name: ns.name, policy: ns.policy, capabilities };
    if (ns.variables !== null) rule.variables = validateVariables(ns, refuse);
    used(ns.name);
    return rule;
  });

  const nodePool = raw.nodePools.map((np): NodePoolRule => {
    if (!VALID_NODE_POOL.test(np.name)) refuse(`Invalid node pool name '${np.name}'`, at(np));
    if (np.policy !== '' && !isPolicyValid(np.policy)) {
      refuse(`Invalid node pool policy '${np.policy}' for '${np.name}'`, at(np, np.policy));
    }
    const written = (np.capabilities ?? []).map((cap) => {
      if (!isOneOf(NODE_POOL_CAPABILITIES, cap)) {
        refuse(`Invalid node pool capability '${cap}' for '${np.name}'`, at(np, cap));
      }
      return cap as NodePoolRule['capabilities'][number];
    });
    used(np.name);
    return {
      name: np.name,
      policy: np.policy,
      capabilities: [...written, ...expandNodePoolPolicy(np.policy)],
    };
  });

  const hostVolumes = raw.hostVolumes.map((hv): HostVolumeRule => {
    const go = () => goRule('HostVolumePolicy', hv);
    if (!VALID_NAME.test(hv.name)) refuse(`Invalid host volume name: ${go()}`, at(hv));
    if (hv.policy !== '' && !isPolicyValid(hv.policy)) {
      refuse(`Invalid host volume policy: ${go()}`, at(hv, hv.policy));
    }
    for (const cap of hv.capabilities ?? []) {
      if (!isOneOf(HOST_VOLUME_CAPABILITIES, cap)) {
        refuse(`Invalid host volume capability '${cap}': ${go()}`, at(hv, cap));
      }
    }
    used(hv.name);
    const capabilities = [...(hv.capabilities ?? []), ...expandHostVolumePolicy(hv.policy)];
    return { name: hv.name, policy: hv.policy, capabilities };
  });

  if (strict && extraKeys.length > 0) {
    const keys = goSortStrings(extraKeys);
    // One key: its last use, the repeat when it is a duplicate. Several: no single line.
    const last = keys.length === 1 ? lastWord(rules, keys[0] ?? '') : undefined;
    refuse(
      `Invalid or duplicate policy keys: ${keys.join(', ')}`,
      last === undefined ? null : lineAt(rules, last),
    );
  }

  const coarse = (
    tag: string,
    type: string,
    block: RawCoarse | null,
    valid: (policy: string) => boolean,
    withCapabilities = false,
  ): CoarsePolicy | '' => {
    if (block === null) return '';
    const fields: [string, string | string[] | null][] = [['Policy', block.policy]];
    if (withCapabilities) fields.push(['Capabilities', block.capabilities]);
    const optional = withCapabilities && block.policy === '';
    if (!optional && !valid(block.policy)) {
      refuse(
        `Invalid ${tag} policy: ${goStruct(type, fields)}`,
        block.policy === '' ? [tag] : [tag, block.policy],
      );
    }
    return block.policy as CoarsePolicy | '';
  };
  const agent = coarse('agent', 'AgentPolicy', raw.agent, isPolicyValid);
  const node = coarse('node', 'NodePolicy', raw.node, isPolicyValid);
  const operator = coarse('operator', 'OperatorPolicy', raw.operator, isPolicyValid, true);
  const operatorCapabilities = (raw.operator?.capabilities ?? []).map((cap) => {
    if (!isOneOf(OPERATOR_CAPABILITIES, cap))
      refuse(`Invalid operator capability '${cap}'`, ['operator', cap]);
    return cap as (typeof OPERATOR_CAPABILITIES)[number];
  });
  operatorCapabilities.push(...expandOperatorPolicy(operator));
  const sentinel = coarse('sentinel', 'SentinelPolicy', raw.sentinel, isPolicyValid, true);
  const sentinelCapabilities = (raw.sentinel?.capabilities ?? []).map((cap) => {
    if (!isOneOf(SENTINEL_CAPABILITIES, cap))
      refuse(`Invalid sentinel capability '${cap}'`, ['sentinel', cap]);
    return cap as (typeof SENTINEL_CAPABILITIES)[number];
  });
  sentinelCapabilities.push(...expandSentinelPolicy(sentinel));
  const quota = coarse('quota', 'QuotaPolicy', raw.quota, isPolicyValid);
  const plugin = coarse('plugin', 'PluginPolicy', raw.plugin, isPluginPolicyValid);

  return {
    namespaces,
    hostVolumes,
    node,
    agent,
    operator,
    quota,
    plugin,
    nodePool,
    operatorCapabilities,
    sentinel,
    sentinelCapabilities,
  };
}

/** A namespace's `variables` paths, checked and expanded as Nomad does. */
function validateVariables(
  ns: RawNamespace,
  refuse: (message: string, where: Where) => never,
): VariablesPathRule[] {
  const at = (...rest: string[]) => (ns.labelled ? [ns.name, ...rest] : null);
  const paths = ns.variables ?? [];
  if (paths.length === 0) {
    refuse(`Invalid variable policy: no variable paths in namespace ${ns.name}`, at('variables'));
  }
  return paths.map((path) => {
    if (path.pathSpec === '')
      refuse(`Invalid missing variable path in namespace ${ns.name}`, at('path'));
    if (path.pathSpec.startsWith('/')) {
      // The stray backtick is in Nomad's text.
      refuse(
        `Invalid variable path ${goQuote(path.pathSpec)} in namespace ${ns.name}: cannot start with a leading '/'\``,
        at(path.pathSpec),
      );
    }
    const capabilities = (path.capabilities ?? []).map((cap) => {
      if (!isOneOf(VARIABLES_CAPABILITIES, cap)) {
        refuse(
          `Invalid variable capability '${cap}' in namespace ${ns.name}`,
          at(path.pathSpec, cap),
        );
      }
      return cap;
    });
    return { pathSpec: path.pathSpec, capabilities: expandVariablesCapabilities(capabilities) };
  });
}

/** `%#v` of Nomad's *acl.NamespacePolicy as it stands when validated. */
function goNamespace(ns: RawNamespace): string {
  // Go prints a nested pointer as its address, which means nothing outside that process.
  const variables =
    ns.variables === null ? '(*acl.VariablesPolicy)(nil)' : '(*acl.VariablesPolicy)(0xc000010000)';
  return goStruct('NamespacePolicy', [
    ['Name', ns.name],
    ['Policy', ns.policy],
    ['Capabilities', ns.capabilities],
    ['Variables', { raw: variables }],
  ]);
}

function goRule(type: string, rule: RawRule): string {
  return goStruct(type, [
    ['Name', rule.name],
    ['Policy', rule.policy],
    ['Capabilities', rule.capabilities],
  ]);
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
    operatorCapabilities: [],
    sentinel: '',
    sentinelCapabilities: [],
  };
}
