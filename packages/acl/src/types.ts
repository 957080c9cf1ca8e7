// The shapes of Nomad's ACL policy language (acl/policy.go) and of a compiled ACL (acl/acl.go),
// as berth's server and node agent use them.

/** A namespace capability (Nomad's `NamespaceCapability*` constants). */
export type NamespaceCapability =
  | 'deny'
  | 'parse-job'
  | 'list-jobs'
  | 'read-job'
  | 'submit-job'
  | 'dispatch-job'
  | 'read-logs'
  | 'read-fs'
  | 'alloc-exec'
  | 'alloc-node-exec'
  | 'alloc-lifecycle'
  | 'csi-register-plugin'
  | 'csi-write-volume'
  | 'csi-read-volume'
  | 'csi-list-volume'
  | 'csi-mount-volume'
  | 'list-scaling-policies'
  | 'read-scaling-policy'
  | 'read-job-scaling'
  | 'scale-job'
  | 'submit-recommendation'
  | 'sentinel-override'
  | 'host-volume-register'
  | 'host-volume-create'
  | 'host-volume-delete'
  | 'host-volume-read'
  | 'host-volume-write'
  // The fine-grained job, deployment and allocation capabilities Nomad 2 split out of submit-job.
  | 'register-job'
  | 'revert-job'
  | 'deregister-job'
  | 'purge-job'
  | 'evaluate-job'
  | 'plan-job'
  | 'tag-job-version'
  | 'stable-job'
  | 'fail-deployment'
  | 'pause-deployment'
  | 'promote-deployment'
  | 'unblock-deployment'
  | 'cancel-deployment'
  | 'set-alloc-health-deployment'
  | 'gc-allocation'
  | 'pause-allocation'
  | 'force-periodic-job'
  | 'delete-service-registration';

/** A node pool capability (Nomad's `NodePoolCapability*`). */
export type NodePoolCapability = 'delete' | 'deny' | 'read' | 'write';

/** A host volume capability (Nomad's `HostVolumeCapability*`). */
export type HostVolumeCapability = 'deny' | 'mount-readonly' | 'mount-readwrite';

/** A capability of a `variables { path "..." {} }` rule (Nomad's `VariablesCapability*`). */
export type VariablesCapability = 'list' | 'read' | 'write' | 'destroy' | 'deny';

/** An operator capability (Nomad's `OperatorCapability*`). */
export type OperatorCapability =
  'deny' | 'snapshot-save' | 'license-read' | 'keyring-rotate' | 'keyring-read' | 'keyring-delete';

/** A Sentinel capability (Nomad's `SentinelCapability*`; Sentinel itself is Enterprise-only). */
export type SentinelCapability = 'deny' | 'sentinel-read' | 'sentinel-submit' | 'sentinel-delete';

/** A coarse policy of the non-namespaced blocks (`node`, `agent`, `operator`, `quota`, ...). */
export type CoarsePolicy = 'deny' | 'read' | 'list' | 'write' | 'scale';

/** One `path "<path or glob>" { capabilities = [...] }` of a namespace's `variables` block. */
export interface VariablesPathRule {
  pathSpec: string;
  /** As written, with `list` added where `read` is (and only `deny` when `deny` is). */
  capabilities: VariablesCapability[];
}

/** One `namespace "<name or glob>" { ... }` rule, its shorthand already expanded. */
export interface NamespaceRule {
  name: string;
  /** The shorthand as written ('' when none). */
  policy: string;
  /** The capabilities granted: the shorthand's expansion plus `capabilities = [...]`. */
  capabilities: NamespaceCapability[];
  /** The `variables` block's paths; absent when the rule has no `variables` block. */
  variables?: VariablesPathRule[];
}

/** One `node_pool "<name or glob>" { ... }` rule, its shorthand already expanded. */
export interface NodePoolRule {
  name: string;
  /** The shorthand as written ('' when none). */
  policy: string;
  capabilities: NodePoolCapability[];
}

/** One `host_volume "<name or glob>" { ... }` rule. */
export interface HostVolumeRule {
  name: string;
  policy: string;
  capabilities: string[];
}

/** A parsed, validated policy (Nomad's `acl.Policy`). */
export interface Policy {
  namespaces: NamespaceRule[];
  hostVolumes: HostVolumeRule[];
  /** '' where the block is absent. */
  node: CoarsePolicy | '';
  agent: CoarsePolicy | '';
  operator: CoarsePolicy | '';
  quota: CoarsePolicy | '';
  plugin: CoarsePolicy | '';
  nodePool: NodePoolRule[];
  /**
   * The `operator` block's capabilities, its shorthand expanded; absent exactly when the policy
   * has no `operator` block (`operator {}` gives `[]`).
   */
  operatorCapabilities?: OperatorCapability[];
  /** The `sentinel` block's policy ('' where the block is absent or names none). */
  sentinel?: CoarsePolicy | '';
  /** The `sentinel` block's capabilities, as `operatorCapabilities`. */
  sentinelCapabilities?: SentinelCapability[];
}

/** A compiled ACL: the merge of a token's policies (Nomad's `acl.ACL`). */
export interface Acl {
  /** A management token's ACL: everything allowed. */
  isManagement(): boolean;
  /**
   * `cap` in namespace `namespace`, by the closest matching rule; `deny` wins. For `*`, as
   * Nomad: allowed when any rule grants `cap`.
   */
  allowNamespaceOperation(namespace: string, cap: NamespaceCapability): boolean;
  /** Any capability at all in `namespace` (Nomad's `AllowNamespace`). */
  allowNamespace(namespace: string): boolean;
  /**
   * Whether some namespace rule (exact or glob) grants `cap`: the coarse check of a
   * `namespace=*` request, before its results are filtered by `allowNamespaceOperation`.
   */
  allowAnyNamespaceOperation(cap: NamespaceCapability): boolean;
  allowNodeRead(): boolean;
  allowNodeWrite(): boolean;
  allowAgentRead(): boolean;
  allowAgentWrite(): boolean;
  allowOperatorRead(): boolean;
  allowOperatorWrite(): boolean;
  allowQuotaRead(): boolean;
  allowQuotaWrite(): boolean;
  /** `operator { policy = "write" }`, or `op` among the operator block's capabilities. */
  allowOperatorOperation(op: OperatorCapability): boolean;
  /** `plugin { policy = "read" }` (Nomad: `write` does not imply it). */
  allowPluginRead(): boolean;
  /** `plugin { policy = "list" }` or `"read"`. */
  allowPluginList(): boolean;
  /** `op` in node pool `pool`, by the closest matching `node_pool` rule; `deny` wins. */
  allowNodePoolOperation(pool: string, op: NodePoolCapability): boolean;
  /** Any capability at all in node pool `pool` (Nomad's `AllowNodePool`). */
  allowNodePool(pool: string): boolean;
  /** `op` on host volume `volume`, by the closest matching `host_volume` rule; `deny` wins. */
  allowHostVolumeOperation(volume: string, op: HostVolumeCapability): boolean;
  /** Any capability at all on host volume `volume` (Nomad's `AllowHostVolume`). */
  allowHostVolume(volume: string): boolean;
}
