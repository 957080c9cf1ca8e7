// The `RulesJSON` of a policy read (Nomad's GetPolicy parses the stored rules on every read and
// sends the parsed acl.Policy): the policy berth's parser reads, laid out as Go marshals Nomad's
// acl.Policy struct (field names as in Go, nil slices and pointers as null, `Raw` the rules).
// Nomad lists capabilities as written, then the policy shorthand's expansion; @berth/acl keeps
// the expanded set, so the order of `Capabilities` may differ from Nomad's.
import { parsePolicy, type CoarsePolicy, type Policy } from '@berth/acl';

const slice = <T, U>(items: readonly T[], fn: (item: T) => U): U[] | null =>
  items.length === 0 ? null : items.map(fn);

const coarse = (policy: CoarsePolicy | '') => (policy === '' ? null : { Policy: policy });

/** Nomad's acl.Policy as JSON for rules that parsed into `policy`. */
export function policyRulesJson(policy: Policy, raw: string): Record<string, unknown> {
  return {
    Namespaces: slice(policy.namespaces, (ns) => ({
      Name: ns.name,
      Policy: ns.policy,
      Capabilities: ns.capabilities.length === 0 ? null : [...ns.capabilities],
      Variables: null,
    })),
    NodePools: slice(policy.nodePool, (pool) => ({
      Name: pool.name,
      Policy: pool.policy,
      Capabilities: pool.capabilities.length === 0 ? null : [...pool.capabilities],
    })),
    HostVolumes: slice(policy.hostVolumes, (volume) => ({
      Name: volume.name,
      Policy: volume.policy,
      Capabilities: volume.capabilities.length === 0 ? null : [...volume.capabilities],
    })),
    Agent: coarse(policy.agent),
    Node: coarse(policy.node),
    Operator: policy.operator === '' ? null : { Policy: policy.operator, Capabilities: null },
    Sentinel: null,
    Quota: coarse(policy.quota),
    Plugin: coarse(policy.plugin),
    Raw: raw,
  };
}

/**
 * The RulesJSON of a stored policy's rules. They parsed when stored; if they no longer do (a
 * parser change), that is a server fault, reported with the policy's name (Nomad: a 500 too).
 */
export function storedRulesJson(name: string, rules: string): Record<string, unknown> {
  let parsed: Policy;
  try {
    parsed = parsePolicy(rules);
  } catch (error) {
    throw new Error(`stored ACL policy ${JSON.stringify(name)} does not parse`, { cause: error });
  }
  return policyRulesJson(parsed, rules);
}
