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
  | 'host-volume-write';

/** A coarse policy of the non-namespaced blocks (`node`, `agent`, `operator`, `quota`, ...). */
export type CoarsePolicy = 'deny' | 'read' | 'list' | 'write' | 'scale';

/** One `namespace "<name or glob>" { ... }` rule, its shorthand already expanded. */
export interface NamespaceRule {
  name: string;
  /** The shorthand as written ('' when none). */
  policy: string;
  /** The capabilities granted: the shorthand's expansion plus `capabilities = [...]`. */
  capabilities: NamespaceCapability[];
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
  nodePool: NamespaceRule[];
}

/** A compiled ACL: the merge of a token's policies (Nomad's `acl.ACL`). */
export interface Acl {
  /** A management token's ACL: everything allowed. */
  isManagement(): boolean;
  /** `cap` in namespace `namespace`, by the closest matching rule; `deny` wins. */
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
}
