// Who the caller is, and what it may do, as Nomad's ACL resolver decides (nomad/auth/auth.go,
// acl/acl.go). Endpoints only ever ask through these interfaces: `aclDisabled` when ACLs are off
// (every token ignored, everything allowed), `storeAclResolver` (store-resolver.ts) when they are on.
import type { Acl, NamespaceCapability } from '@berth/acl';
import type { WatchSet } from '../state/index.js';

/** A namespace capability (Nomad's `acl/policy.go`). */
export type Capability = NamespaceCapability;

/** What an authenticated caller may do. */
export interface AclIdentity {
  /**
   * True if the caller holds `capability` in `namespace`; for `*`, in any namespace (the coarse
   * check of Nomad's `AllowNamespaceOperation`).
   */
  allows(namespace: string, capability: Capability): boolean;
  /**
   * For `namespace=*` requests: `'all'` when no filtering applies (management, ACLs disabled),
   * else the predicate for namespaces in which the caller holds `capability`, or `undefined`
   * when no rule grants it anywhere (the request is then denied).
   */
  namespaceFilter(capability: Capability): 'all' | ((namespace: string) => boolean) | undefined;
  /** True if the caller holds any capability in `namespace` (Nomad's `AllowNamespace`). */
  allowsNamespace(namespace: string): boolean;
  /** True for a management token (namespace writes need one); always, with ACLs disabled. */
  isManagement(): boolean;
  /** `node { policy = "read" }` or more: reading nodes. */
  allowsNodeRead(): boolean;
  /** `node { policy = "write" }`: registering a new node among others. */
  allowsNodeWrite(): boolean;
  /** `agent { policy = "read" }` or more. */
  allowsAgentRead(): boolean;
  /** `operator { policy = "read" }` or more. */
  allowsOperatorRead(): boolean;
  /**
   * Set when the token was a node's SecretID: the caller is that node's agent, and acts only for
   * it (reads the allocations placed on it; nothing else).
   */
  readonly nodeID?: string;
}

/**
 * Turns a request's token into an identity; throws `Permission denied` (403) for a token that is
 * unknown, expired or malformed. With `ws`, the reads it depends on (the token, its policies) are
 * watched, so a blocking query that resolves the token on every run wakes when they change.
 */
export interface AclResolver {
  resolve(token: string, ws?: WatchSet): AclIdentity;
}

/** An identity holding what a compiled ACL grants (a token's policies, anonymous, management). */
export function aclIdentity(acl: Acl): AclIdentity {
  if (acl.isManagement()) return allowAll;
  return {
    // Nomad: for `*`, allowed if any rule grants it, else the rule matching `*` itself decides.
    allows: (ns, cap) =>
      (ns === '*' && acl.allowAnyNamespaceOperation(cap)) || acl.allowNamespaceOperation(ns, cap),
    namespaceFilter: (cap) =>
      acl.allowAnyNamespaceOperation(cap)
        ? (ns) => acl.allowNamespaceOperation(ns, cap)
        : undefined,
    allowsNamespace: (ns) => acl.allowNamespace(ns),
    isManagement: () => false,
    allowsNodeRead: () => acl.allowNodeRead(),
    allowsNodeWrite: () => acl.allowNodeWrite(),
    allowsAgentRead: () => acl.allowAgentRead(),
    allowsOperatorRead: () => acl.allowOperatorRead(),
  };
}

/** The identity of a node agent authenticated by its node's SecretID. */
export function nodeIdentity(nodeID: string): AclIdentity {
  return {
    allows: () => false,
    namespaceFilter: () => undefined,
    allowsNamespace: () => false,
    isManagement: () => false,
    allowsNodeRead: () => false,
    allowsNodeWrite: () => false,
    allowsAgentRead: () => false,
    allowsOperatorRead: () => false,
    nodeID,
  };
}

/**
 * Whether the caller may read an allocation: `read-job` in its namespace, or the caller is the
 * node it is placed on (Nomad's AuthorizeClientAllocation, without node pools).
 */
export function mayReadAlloc(
  identity: AclIdentity,
  alloc: { Namespace: string; NodeID: string },
): boolean {
  if (identity.nodeID !== undefined) return alloc.NodeID !== '' && alloc.NodeID === identity.nodeID;
  return identity.allows(alloc.Namespace, 'read-job');
}

const allowAll: AclIdentity = {
  allows: () => true,
  namespaceFilter: () => 'all',
  allowsNamespace: () => true,
  isManagement: () => true,
  allowsNodeRead: () => true,
  allowsNodeWrite: () => true,
  allowsAgentRead: () => true,
  allowsOperatorRead: () => true,
};

/** The resolver of a cluster with ACLs disabled. */
export const aclDisabled: AclResolver = { resolve: () => allowAll };
