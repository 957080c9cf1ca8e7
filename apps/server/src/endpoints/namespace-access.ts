// Which namespaces a list may show, as Nomad's list endpoints decide: the requested namespace
// when the caller holds the capability there, or for `*` every namespace it holds it in.
import type { AclIdentity, Capability } from '../acl/acl.js';
import { forbidden } from './endpoint-error.js';

/** `'all'` when nothing is hidden, else a predicate on namespaces; 403 when the caller has none. */
export function namespaceAccess(
  identity: AclIdentity,
  namespace: string,
  capability: Capability,
): 'all' | ((namespace: string) => boolean) {
  const allowed =
    namespace === '*'
      ? identity.namespaceFilter(capability)
      : identity.allows(namespace, capability)
        ? 'all'
        : undefined;
  if (!allowed) throw forbidden();
  return allowed;
}
