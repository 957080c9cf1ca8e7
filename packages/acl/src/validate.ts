// The checks of Nomad's acl.Parse on a decoded policy, in Nomad's order and with its texts
// (acl/policy.go), then the shorthands expanded into the Policy berth uses. Each refusal names
// the line of the rule or value at fault when it can be found.
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
import type { RawCoarse, RawNamespace, RawPolicy, RawRule } from './decode.js';
import { PolicyParseError } from './errors.js';
import { goQuote, goSortStrings, goStruct } from './go-format.js';
import { lastWord, lineAt, lineOfAnchors } from './locate.js';
import type {
  CoarsePolicy,
  HostVolumeRule,
  NamespaceCapability,
  NamespaceRule,
  NodePoolRule,
  OperatorCapability,
  Policy,
  SentinelCapability,
  VariablesPathRule,
} from './types.js';

/** Where a fault is: the words leading to it in the text, its line, or unknown (null). */
type Where = readonly string[] | number | null;

const VALID_NAME = /^[a-zA-Z0-9*-]{1,128}$/;
const VALID_NODE_POOL = /^[a-zA-Z0-9_*-]{1,128}$/;

/** Validates `raw`, decoded from `rules`; `strict` refuses unknown and repeated keys. */
export function validatePolicy(raw: RawPolicy, rules: string, strict: boolean): Policy {
  const extraKeys = [...raw.extraKeys];
  // Nomad takes each rule's name out of the unused keys once the rule is checked.
  const used = (key: string) => {
    const i = extraKeys.indexOf(key);
    if (i >= 0) extraKeys.splice(i, 1);
  };
  const namespaces = raw.namespaces.map((ns) => {
    const rule = namespaceRule(ns, rules);
    used(ns.name);
    return rule;
  });
  const nodePool = raw.nodePools.map((np) => {
    const rule = nodePoolRule(np, rules);
    used(np.name);
    return rule;
  });
  const hostVolumes = raw.hostVolumes.map((hv) => {
    const rule = hostVolumeRule(hv, rules);
    used(hv.name);
    return rule;
  });

  if (strict && extraKeys.length > 0) {
    const keys = goSortStrings(extraKeys);
    // One key: its last use, the repeat when it is a duplicate. Several: no single line.
    const last = keys.length === 1 ? lastWord(rules, keys[0] ?? '') : undefined;
    refuse(
      rules,
      `Invalid or duplicate policy keys: ${keys.join(', ')}`,
      last === undefined ? null : lineAt(rules, last),
    );
  }

  const agent = coarsePolicy(rules, 'agent', 'AgentPolicy', raw.agent, isPolicyValid);
  const node = coarsePolicy(rules, 'node', 'NodePolicy', raw.node, isPolicyValid);
  const operator = coarsePolicy(rules, 'operator', 'OperatorPolicy', raw.operator, isPolicyValid);
  const operatorCapabilities: OperatorCapability[] = [];
  for (const cap of raw.operator?.capabilities ?? []) {
    if (!isOneOf(OPERATOR_CAPABILITIES, cap)) {
      refuse(rules, `Invalid operator capability '${cap}'`, ['operator', cap]);
    }
    operatorCapabilities.push(cap);
  }
  operatorCapabilities.push(...expandOperatorPolicy(operator));
  const sentinel = coarsePolicy(rules, 'sentinel', 'SentinelPolicy', raw.sentinel, isPolicyValid);
  const sentinelCapabilities: SentinelCapability[] = [];
  for (const cap of raw.sentinel?.capabilities ?? []) {
    if (!isOneOf(SENTINEL_CAPABILITIES, cap)) {
      refuse(rules, `Invalid sentinel capability '${cap}'`, ['sentinel', cap]);
    }
    sentinelCapabilities.push(cap);
  }
  sentinelCapabilities.push(...expandSentinelPolicy(sentinel));
  const quota = coarsePolicy(rules, 'quota', 'QuotaPolicy', raw.quota, isPolicyValid);
  const plugin = coarsePolicy(rules, 'plugin', 'PluginPolicy', raw.plugin, isPluginPolicyValid);

  const policy: Policy = {
    namespaces,
    hostVolumes,
    node,
    agent,
    operator,
    quota,
    plugin,
    nodePool,
  };
  // Present only with their blocks, so that `operator {}` can be told from no block at all.
  if (raw.operator !== null) policy.operatorCapabilities = operatorCapabilities;
  policy.sentinel = sentinel;
  if (raw.sentinel !== null) policy.sentinelCapabilities = sentinelCapabilities;
  return policy;
}

function refuse(rules: string, message: string, where: Where): never {
  const line =
    where === null ? undefined : typeof where === 'number' ? where : lineOfAnchors(rules, where);
  throw PolicyParseError.atLine(message, line);
}

/** The words leading to a rule's value: its label first; none for a rule without one. */
function at(rule: RawRule, ...rest: string[]): Where {
  return rule.labelled ? [rule.name, ...rest] : null;
}

function namespaceRule(ns: RawNamespace, rules: string): NamespaceRule {
  if (!VALID_NAME.test(ns.name)) {
    refuse(rules, `Invalid namespace name: ${goNamespace(ns)}`, at(ns));
  }
  if (ns.policy !== '' && !isPolicyValid(ns.policy)) {
    refuse(rules, `Invalid namespace policy: ${goNamespace(ns)}`, at(ns, ns.policy));
  }
  const capabilities: NamespaceCapability[] = [];
  for (const cap of ns.capabilities ?? []) {
    if (!isOneOf(NAMESPACE_CAPABILITIES, cap)) {
      refuse(rules, `Invalid namespace capability '${cap}': ${goNamespace(ns)}`, at(ns, cap));
    }
    capabilities.push(cap);
  }
  capabilities.push(...expandNamespacePolicy(ns.policy));
  capabilities.push(...impliedNamespaceCapabilities(capabilities));
  const rule: NamespaceRule = { name: ns.name, policy: ns.policy, capabilities };
  if (ns.variables !== null) rule.variables = variablesPaths(ns, rules);
  return rule;
}

/** A namespace's `variables` paths, checked and expanded as Nomad does. */
function variablesPaths(ns: RawNamespace, rules: string): VariablesPathRule[] {
  const paths = ns.variables ?? [];
  if (paths.length === 0) {
    refuse(
      rules,
      `Invalid variable policy: no variable paths in namespace ${ns.name}`,
      at(ns, 'variables'),
    );
  }
  return paths.map((path) => {
    if (path.pathSpec === '') {
      refuse(rules, `Invalid missing variable path in namespace ${ns.name}`, at(ns, 'path'));
    }
    if (path.pathSpec.startsWith('/')) {
      // The stray backtick is in Nomad's text.
      refuse(
        rules,
        `Invalid variable path ${goQuote(path.pathSpec)} in namespace ${ns.name}: cannot start with a leading '/'\``,
        at(ns, path.pathSpec),
      );
    }
    const capabilities: VariablesPathRule['capabilities'] = [];
    for (const cap of path.capabilities ?? []) {
      if (!isOneOf(VARIABLES_CAPABILITIES, cap)) {
        refuse(
          rules,
          `Invalid variable capability '${cap}' in namespace ${ns.name}`,
          at(ns, path.pathSpec, cap),
        );
      }
      capabilities.push(cap);
    }
    return { pathSpec: path.pathSpec, capabilities: expandVariablesCapabilities(capabilities) };
  });
}

function nodePoolRule(np: RawRule, rules: string): NodePoolRule {
  if (!VALID_NODE_POOL.test(np.name)) {
    refuse(rules, `Invalid node pool name '${np.name}'`, at(np));
  }
  if (np.policy !== '' && !isPolicyValid(np.policy)) {
    refuse(rules, `Invalid node pool policy '${np.policy}' for '${np.name}'`, at(np, np.policy));
  }
  const capabilities: NodePoolRule['capabilities'] = [];
  for (const cap of np.capabilities ?? []) {
    if (!isOneOf(NODE_POOL_CAPABILITIES, cap)) {
      refuse(rules, `Invalid node pool capability '${cap}' for '${np.name}'`, at(np, cap));
    }
    capabilities.push(cap);
  }
  capabilities.push(...expandNodePoolPolicy(np.policy));
  return { name: np.name, policy: np.policy, capabilities };
}

function hostVolumeRule(hv: RawRule, rules: string): HostVolumeRule {
  const go = () => goRule('HostVolumePolicy', hv);
  if (!VALID_NAME.test(hv.name)) {
    refuse(rules, `Invalid host volume name: ${go()}`, at(hv));
  }
  if (hv.policy !== '' && !isPolicyValid(hv.policy)) {
    refuse(rules, `Invalid host volume policy: ${go()}`, at(hv, hv.policy));
  }
  for (const cap of hv.capabilities ?? []) {
    if (!isOneOf(HOST_VOLUME_CAPABILITIES, cap)) {
      refuse(rules, `Invalid host volume capability '${cap}': ${go()}`, at(hv, cap));
    }
  }
  const capabilities = [...(hv.capabilities ?? []), ...expandHostVolumePolicy(hv.policy)];
  return { name: hv.name, policy: hv.policy, capabilities };
}

/**
 * A coarse block's policy: '' when the block is absent. `operator` and `sentinel`, which also
 * take capabilities, may leave it empty; the others must name a valid one.
 */
function coarsePolicy(
  rules: string,
  tag: string,
  type: string,
  block: RawCoarse | null,
  valid: (policy: string) => boolean,
): CoarsePolicy | '' {
  if (block === null) return '';
  const withCapabilities = tag === 'operator' || tag === 'sentinel';
  if (withCapabilities && block.policy === '') return '';
  if (!valid(block.policy)) {
    const fields: [string, string | string[] | null][] = [['Policy', block.policy]];
    if (withCapabilities) fields.push(['Capabilities', block.capabilities]);
    refuse(
      rules,
      `Invalid ${tag} policy: ${goStruct(type, fields)}`,
      block.policy === '' ? [tag] : [tag, block.policy],
    );
  }
  return block.policy as CoarsePolicy;
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
