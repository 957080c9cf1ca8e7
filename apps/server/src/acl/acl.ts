// Who the caller is, and what it may do, as Nomad's ACL resolver decides. ACL tokens and policies
// arrive with their own issue; until then berth runs as Nomad does with ACLs disabled: every
// token is ignored and everything is allowed. Endpoints only ever ask through these interfaces.

/** A namespace capability (Nomad's `acl/policy.go`), as the allocation and job endpoints need them. */
export type Capability = 'read-job' | 'list-jobs' | 'submit-job' | 'alloc-lifecycle';

/** What an authenticated caller may do. */
export interface AclIdentity {
  /** True if the caller holds `capability` in `namespace`. */
  allows(namespace: string, capability: Capability): boolean;
  /**
   * For `namespace=*` requests: `'all'` when no filtering applies (management, ACLs disabled),
   * else the predicate for namespaces in which the caller holds `capability`, or `undefined`
   * when it holds it in none (the request is then denied).
   */
  namespaceFilter(capability: Capability): 'all' | ((namespace: string) => boolean) | undefined;
  /** True if the caller holds any capability in `namespace` (Nomad's `AllowNamespace`). */
  allowsNamespace(namespace: string): boolean;
  /** True for a management token (namespace writes need one); always, with ACLs disabled. */
  isManagement(): boolean;
}

/** Turns a request's token into an identity; throws `Permission denied` for a bad token. */
export interface AclResolver {
  resolve(token: string): AclIdentity;
}

const allowAll: AclIdentity = {
  allows: () => true,
  namespaceFilter: () => 'all',
  allowsNamespace: () => true,
  isManagement: () => true,
};

/** The resolver of a cluster with ACLs disabled. */
export const aclDisabled: AclResolver = { resolve: () => allowAll };
