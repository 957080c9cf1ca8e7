// The ACL resolver of a cluster with ACLs on (Nomad's nomad/auth/auth.go Authenticate and
// ResolveACL): a request's token becomes the anonymous policy, a token's policies compiled, a
// management token, or a node's identity, all read from the state store.
import { compileAcl, denyAllAcl, managementAcl, policyCache, type Policy } from '@berth/acl';
import type { AclPolicy } from '@berth/contract';
import { forbidden } from '../endpoints/endpoint-error.js';
import type { StateStore, WatchSet } from '../state/index.js';
import { BoundedCache } from './bounded-cache.js';
import { aclIdentity, nodeIdentity, type AclIdentity, type AclResolver } from './acl.js';
import { ANONYMOUS_POLICY, isManagementToken, tokenExpired } from './live-token.js';

/** Compiled ACLs kept (Nomad's aclCacheSize): a token's policies are compiled once per version. */
export const ACL_CACHE_SIZE = 512;

/** Nomad's helper.IsUUID: 36 characters, hex in 8-4-4-4-12 groups, any case. */
const UUID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i;

const management = aclIdentity(managementAcl);
const denyAll = aclIdentity(denyAllAcl);

/**
 * Resolves tokens against `store` (`now` gives the time tokens expire against):
 *
 * - `''`: anonymous, holding the policy named `anonymous` if it exists, else nothing;
 * - the SecretID of a live client token: what its existing policies grant together;
 * - the SecretID of a live management token: everything;
 * - a node's SecretID: that node's identity (it acts only for its own node);
 * - anything else (not a UUID, unknown, expired): 403 `Permission denied`.
 */
export function storeAclResolver(store: StateStore, now: () => number = Date.now): AclResolver {
  const compiled = new BoundedCache<AclIdentity>(ACL_CACHE_SIZE);

  /** What the named policies that exist grant together (a missing policy grants nothing). */
  function ofPolicies(names: readonly string[], ws: WatchSet | undefined): AclIdentity {
    const policies: AclPolicy[] = [];
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) continue;
      seen.add(name);
      // Watched even when missing: creating the policy changes what the caller may do.
      const policy = store.aclPolicyByName(name, ws);
      if (policy !== undefined) policies.push(policy);
    }
    if (policies.length === 0) return denyAll;
    policies.sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
    // A changed policy has a new ModifyIndex, so it is compiled afresh at once.
    const key = JSON.stringify(policies.map((p) => [p.Name, p.ModifyIndex]));
    let identity = compiled.get(key);
    if (identity === undefined) {
      identity = aclIdentity(compileAcl(policies.map(parseStored)));
      compiled.set(key, identity);
    }
    return identity;
  }

  return {
    resolve(token: string, ws?: WatchSet): AclIdentity {
      if (token === '') return ofPolicies([ANONYMOUS_POLICY], ws);
      // Nomad tries a non-UUID as a workload identity; berth has none, so it is refused unread.
      if (token.length !== 36 || !UUID.test(token)) throw forbidden();
      const stored = store.aclTokenBySecret(token, ws);
      if (stored !== undefined) {
        if (tokenExpired(stored, now())) throw forbidden();
        return isManagementToken(stored) ? management : ofPolicies(stored.Policies ?? [], ws);
      }
      // Not a token: perhaps a node's SecretID, which a node agent presents.
      const node = store.nodeBySecret(token, ws);
      if (node !== undefined) return nodeIdentity(node.ID);
      throw forbidden();
    },
  };
}

/**
 * A stored policy's rules, parsed leniently, as Nomad reads a stored policy when it evaluates one
 * (the ACL API stored only rules that parsed strictly). One that does not parse is a fault, as in
 * Nomad: it refuses to guess what the policy meant.
 *
 * From @berth/acl's policy cache, which a policy write fills and a server fills from the stored
 * policies after it starts. Resolving is synchronous, so a miss (a policy read before that
 * warming reached it, or forgotten by the cache) parses here, on the event loop: bounded by
 * MAX_POLICY_BYTES, and once per text.
 */
function parseStored(policy: AclPolicy): Policy {
  try {
    return policyCache.parse(policy.Rules, { strict: false });
  } catch (error) {
    throw new Error(`stored ACL policy ${JSON.stringify(policy.Name)} does not parse`, {
      cause: error,
    });
  }
}
