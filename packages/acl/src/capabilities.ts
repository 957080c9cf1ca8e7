// Nomad's capability vocabularies and policy shorthands (acl/policy.go): which values each block
// accepts, and what `policy = "..."` expands to.
import type {
  HostVolumeCapability,
  NamespaceCapability,
  NodePoolCapability,
  OperatorCapability,
  SentinelCapability,
  VariablesCapability,
} from './types.js';

/** Every namespace capability Nomad accepts in `capabilities = [...]`. */
export const NAMESPACE_CAPABILITIES: readonly NamespaceCapability[] = [
  'deny',
  'list-jobs',
  'parse-job',
  'read-job',
  'submit-job',
  'dispatch-job',
  'read-logs',
  'read-fs',
  'alloc-exec',
  'alloc-node-exec',
  'alloc-lifecycle',
  'csi-register-plugin',
  'csi-write-volume',
  'csi-read-volume',
  'csi-list-volume',
  'csi-mount-volume',
  'host-volume-create',
  'host-volume-register',
  'host-volume-read',
  'host-volume-write',
  'host-volume-delete',
  'list-scaling-policies',
  'read-scaling-policy',
  'read-job-scaling',
  'scale-job',
  'register-job',
  'revert-job',
  'deregister-job',
  'purge-job',
  'evaluate-job',
  'plan-job',
  'tag-job-version',
  'stable-job',
  'fail-deployment',
  'pause-deployment',
  'promote-deployment',
  'unblock-deployment',
  'cancel-deployment',
  'set-alloc-health-deployment',
  'gc-allocation',
  'pause-allocation',
  'force-periodic-job',
  'delete-service-registration',
  // Enterprise-only in Nomad, but accepted by its open-source parser too.
  'sentinel-override',
  'submit-recommendation',
];

export const NODE_POOL_CAPABILITIES: readonly NodePoolCapability[] = [
  'delete',
  'deny',
  'read',
  'write',
];

export const HOST_VOLUME_CAPABILITIES: readonly HostVolumeCapability[] = [
  'deny',
  'mount-readonly',
  'mount-readwrite',
];

export const VARIABLES_CAPABILITIES: readonly VariablesCapability[] = [
  'write',
  'read',
  'list',
  'destroy',
  'deny',
];

export const OPERATOR_CAPABILITIES: readonly OperatorCapability[] = [
  'deny',
  'snapshot-save',
  'keyring-rotate',
  'keyring-read',
  'keyring-delete',
  'license-read',
];

export const SENTINEL_CAPABILITIES: readonly SentinelCapability[] = [
  'deny',
  'sentinel-read',
  'sentinel-submit',
  'sentinel-delete',
];

/** The shorthands `policy = "..."` accepts in every block but `plugin` (Nomad's isPolicyValid). */
export function isPolicyValid(policy: string): policy is 'deny' | 'read' | 'write' | 'scale' {
  return policy === 'deny' || policy === 'read' || policy === 'write' || policy === 'scale';
}

/** The `plugin` block's shorthands: `list` instead of `scale` (Nomad's PluginPolicy.isValid). */
export function isPluginPolicyValid(policy: string): policy is 'deny' | 'read' | 'list' | 'write' {
  return policy === 'deny' || policy === 'read' || policy === 'list' || policy === 'write';
}

/** Whether `value` is one of `vocabulary` (narrowing it). */
export function isOneOf<T extends string>(vocabulary: readonly T[], value: string): value is T {
  return (vocabulary as readonly string[]).includes(value);
}

const NAMESPACE_READ: readonly NamespaceCapability[] = [
  'list-jobs',
  'parse-job',
  'read-job',
  'csi-list-volume',
  'csi-read-volume',
  'read-job-scaling',
  'list-scaling-policies',
  'read-scaling-policy',
  'host-volume-read',
];

const NAMESPACE_WRITE: readonly NamespaceCapability[] = [
  ...NAMESPACE_READ,
  'scale-job',
  'submit-job',
  'dispatch-job',
  'read-logs',
  'read-fs',
  'alloc-exec',
  'alloc-lifecycle',
  'csi-mount-volume',
  'csi-write-volume',
  'submit-recommendation',
  'host-volume-create',
];

const NAMESPACE_SCALE: readonly NamespaceCapability[] = [
  'list-scaling-policies',
  'read-scaling-policy',
  'read-job-scaling',
  'scale-job',
  'read-job',
  'submit-recommendation',
];

/** The capabilities a namespace shorthand grants, in Nomad's order (expandNamespacePolicy). */
export function expandNamespacePolicy(policy: string): NamespaceCapability[] {
  switch (policy) {
    case 'deny':
      return ['deny'];
    case 'read':
      return [...NAMESPACE_READ];
    case 'write':
      return [...NAMESPACE_WRITE];
    case 'scale':
      return [...NAMESPACE_SCALE];
    default:
      return [];
  }
}

/**
 * The capabilities implied by fine-grained host volume ones, appended after `capabilities`
 * (Nomad's expandNamespaceCapabilities; duplicates are harmless, compiling makes a set).
 */
export function impliedNamespaceCapabilities(
  capabilities: readonly NamespaceCapability[],
): NamespaceCapability[] {
  const extra: NamespaceCapability[] = [];
  for (const cap of capabilities) {
    if (cap === 'host-volume-write') {
      extra.push(
        'host-volume-register',
        'host-volume-create',
        'host-volume-delete',
        'host-volume-read',
      );
    } else if (cap === 'host-volume-register') {
      extra.push('host-volume-create', 'host-volume-read');
    } else if (cap === 'host-volume-create') {
      extra.push('host-volume-read');
    }
  }
  return extra;
}

export function expandNodePoolPolicy(policy: string): NodePoolCapability[] {
  switch (policy) {
    case 'deny':
      return ['deny'];
    case 'read':
      return ['read'];
    case 'write':
      return ['delete', 'read', 'write'];
    default:
      return [];
  }
}

export function expandHostVolumePolicy(policy: string): HostVolumeCapability[] {
  switch (policy) {
    case 'deny':
      return ['deny'];
    case 'read':
      return ['mount-readonly'];
    case 'write':
      return ['mount-readonly', 'mount-readwrite'];
    default:
      return [];
  }
}

export function expandOperatorPolicy(policy: string): OperatorCapability[] {
  switch (policy) {
    case 'deny':
      return ['deny'];
    case 'read':
      return ['license-read', 'keyring-read'];
    case 'write':
      return ['snapshot-save', 'license-read', 'keyring-rotate', 'keyring-read', 'keyring-delete'];
    default:
      return [];
  }
}

export function expandSentinelPolicy(policy: string): SentinelCapability[] {
  switch (policy) {
    case 'deny':
      return ['deny'];
    case 'read':
      return ['sentinel-read'];
    case 'write':
      return ['sentinel-read', 'sentinel-submit', 'sentinel-delete'];
    default:
      return [];
  }
}

/** `deny` alone if present; `list` added where `read` is and `list` is not. */
export function expandVariablesCapabilities(
  capabilities: readonly VariablesCapability[],
): VariablesCapability[] {
  if (capabilities.includes('deny')) return ['deny'];
  if (capabilities.includes('read') && !capabilities.includes('list')) {
    return [...capabilities, 'list'];
  }
  return [...capabilities];
}
