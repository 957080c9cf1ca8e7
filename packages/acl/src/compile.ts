// Compiling a token's policies into one ACL (Nomad's acl.NewACL and the ACL's Allow* checks).
import { RuleSet } from './rule-set.js';
import type {
  Acl,
  HostVolumeCapability,
  NamespaceCapability,
  NodePoolCapability,
  OperatorCapability,
  Policy,
} from './types.js';

/** The coarse levels a merged ACL can hold; `scale` never survives merging, as in Nomad. */
type Level = 'deny' | 'write' | 'read' | 'list' | '';

/** Nomad's maxPrivilege: `deny` beats everything, then `write`, `read`, `list`; else nothing. */
export function maxPrivilege(a: string, b: string): Level {
  if (a === 'deny' || b === 'deny') return 'deny';
  if (a === 'write' || b === 'write') return 'write';
  if (a === 'read' || b === 'read') return 'read';
  if (a === 'list' || b === 'list') return 'list';
  return '';
}

/**
 * Merges `policies` into one ACL, as Nomad's NewACL: per rule name the union of capabilities,
 * `deny` in any policy for a name leaving it nothing; coarse blocks by {@link maxPrivilege}.
 */
export function compileAcl(policies: readonly Policy[]): Acl {
  const namespaces = new RuleSet();
  const nodePools = new RuleSet();
  const hostVolumes = new RuleSet();
  const operatorCapabilities = new Set<string>();
  let agent: Level = '';
  let node: Level = '';
  let operator: Level = '';
  let quota: Level = '';
  let plugin: Level = '';

  for (const policy of policies) {
    for (const rule of policy.namespaces) namespaces.add(rule.name, rule.capabilities);
    for (const rule of policy.nodePool) nodePools.add(rule.name, rule.capabilities);
    for (const rule of policy.hostVolumes) hostVolumes.add(rule.name, rule.capabilities);
    agent = maxPrivilege(agent, policy.agent);
    node = maxPrivilege(node, policy.node);
    operator = maxPrivilege(operator, policy.operator);
    quota = maxPrivilege(quota, policy.quota);
    plugin = maxPrivilege(plugin, policy.plugin);
    if (!operatorCapabilities.has('deny')) {
      for (const cap of policy.operatorCapabilities ?? []) {
        if (cap === 'deny') {
          operatorCapabilities.clear();
          operatorCapabilities.add('deny');
          break;
        }
        operatorCapabilities.add(cap);
      }
    }
  }

  const allows = (set: ReadonlySet<string> | undefined, cap: string) => set?.has(cap) ?? false;
  // Nomad's AllowNamespace: some capability, and not `deny`.
  const allowsAny = (set: ReadonlySet<string> | undefined) =>
    set !== undefined && set.size > 0 && !set.has('deny');
  const readable = (level: Level) => level === 'read' || level === 'write';

  const acl: Acl = {
    isManagement: () => false,
    allowNamespaceOperation: (ns: string, cap: NamespaceCapability) =>
      (ns === '*' && namespaces.some((set) => set.has(cap))) || allows(namespaces.match(ns), cap),
    allowNamespace: (ns: string) =>
      (ns === '*' && namespaces.some(allowsAny)) || allowsAny(namespaces.match(ns)),
    allowAnyNamespaceOperation: (cap: NamespaceCapability) => acl.allowNamespaceOperation('*', cap),
    allowNodeRead: () => readable(node),
    allowNodeWrite: () => node === 'write',
    allowAgentRead: () => readable(agent),
    allowAgentWrite: () => agent === 'write',
    allowOperatorRead: () => readable(operator),
    allowOperatorWrite: () => operator === 'write',
    allowQuotaRead: () => readable(quota),
    allowQuotaWrite: () => quota === 'write',
    allowOperatorOperation: (op: OperatorCapability) =>
      operator === 'write' || operatorCapabilities.has(op),
    allowPluginRead: () => plugin === 'read',
    allowPluginList: () => plugin === 'read' || plugin === 'list',
    allowNodePoolOperation: (pool: string, op: NodePoolCapability) =>
      allows(nodePools.match(pool), op),
    allowNodePool: (pool: string) => allowsAny(nodePools.match(pool)),
    allowHostVolumeOperation: (volume: string, op: HostVolumeCapability) =>
      allows(hostVolumes.match(volume), op),
    allowHostVolume: (volume: string) => allowsAny(hostVolumes.match(volume)),
  };
  return acl;
}

const yes = () => true;

/** A management token's ACL: everything allowed. */
export const managementAcl: Acl = {
  isManagement: yes,
  allowNamespaceOperation: yes,
  allowNamespace: yes,
  allowAnyNamespaceOperation: yes,
  allowNodeRead: yes,
  allowNodeWrite: yes,
  allowAgentRead: yes,
  allowAgentWrite: yes,
  allowOperatorRead: yes,
  allowOperatorWrite: yes,
  allowQuotaRead: yes,
  allowQuotaWrite: yes,
  allowOperatorOperation: yes,
  allowPluginRead: yes,
  allowPluginList: yes,
  allowNodePoolOperation: yes,
  allowNodePool: yes,
  allowHostVolumeOperation: yes,
  allowHostVolume: yes,
};

/** The ACL of no policies at all: nothing allowed. */
export const denyAllAcl: Acl = compileAcl([]);
