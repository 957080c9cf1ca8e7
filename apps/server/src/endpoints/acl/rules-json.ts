// The `RulesJSON` of a policy read (Nomad's GetPolicy parses the stored rules on every read and
// sends the parsed acl.Policy): the policy berth's parser reads, laid out as Go marshals Nomad's
// acl.Policy struct (field names as in Go, nil slices and pointers as null, `Raw` the rules).
// Nomad lists capabilities as written, then the policy shorthand's expansion; @berth/acl keeps
// the expanded set, so the order of `Capabilities` may differ from Nomad's.
import { policyCache, type CoarsePolicy, type Policy } from '@berth/acl';

const slice = <T, U>(items: readonly T[], fn: (item: T) => U): U[] | null =>
  items.length === 0 ? null : items.map(fn);

const coarse = (policy: CoarsePolicy | '') => (policy === '' ? null : { Policy: policy });

const capabilities = (caps: readonly string[] | undefined) =>
  caps === undefined || caps.length === 0 ? null : [...caps];

/** A block with a shorthand and capabilities (operator, sentinel): null when absent. */
const withCapabilities = (
  policy: CoarsePolicy | '' | undefined,
  caps: readonly string[] | undefined,
) =>
  (policy ?? '') === '' && caps === undefined
    ? null
    : { Policy: policy ?? '', Capabilities: capabilities(caps) };

/** Nomad's acl.Policy as JSON for rules that parsed into `policy`. */
export function policyRulesJson(policy: Policy, raw: string): Record<string, unknown> {
  return {
    Namespaces: slice(policy.namespaces, (ns) => ({
      Name: ns.name,
      Policy: ns.policy,
      Capabilities: capabilities(ns.capabilities),
      Variables:
        ns.variables === undefined
          ? null
          : {
              Paths: slice(ns.variables, (path) => ({
                PathSpec: path.pathSpec,
                Capabilities: capabilities(path.capabilities),
              })),
            },
    })),
    NodePools: slice(policy.nodePool, (pool) => ({
      Name: pool.name,
      Policy: pool.policy,
      Capabilities: capabilities(pool.capabilities),
    })),
    HostVolumes: slice(policy.hostVolumes, (volume) => ({
      Name: volume.name,
      Policy: volume.policy,
      Capabilities: capabilities(volume.capabilities),
    })),
    Agent: coarse(policy.agent),
    Node: coarse(policy.node),
    Operator: withCapabilities(policy.operator, policy.operatorCapabilities),
    Sentinel: withCapabilities(policy.sentinel, policy.sentinelCapabilities),
    Quota: coarse(policy.quota),
    Plugin: coarse(policy.plugin),
    Raw: raw,
  };
}

/**
 * The RulesJSON of a stored policy's rules, from @berth/acl's policy cache (filled when the
 * policy was written, or when the server started), else parsed on its parser thread: a read never
 * parses on the event loop, unless the parser's queue is full (then it parses here, bounded by
 * MAX_POLICY_BYTES). The rules parsed when stored; if they no longer do (a parser change), that
 * is a server fault, reported with the policy's name (Nomad: a 500 too).
 */
export async function storedRulesJson(
  name: string,
  rules: string,
): Promise<Record<string, unknown>> {
  let parsed: Policy;
  try {
    // Nomad reads stored rules leniently (an unknown top-level block is ignored, not refused).
    parsed = await policyCache.parseOffThread(rules, { strict: false, whenBusy: 'parse-here' });
  } catch (error) {
    throw new Error(`stored ACL policy ${JSON.stringify(name)} does not parse`, { cause: error });
  }
  return policyRulesJson(parsed, rules);
}
