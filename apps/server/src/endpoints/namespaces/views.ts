// The read view of a stored namespace: every field of Nomad's Namespace, the settings berth does
// not enforce (capabilities, node pool, Vault and Consul configuration, extra claims) and the hash
// it does not compute at their zero value, `null`.
import type { Namespace } from '@berth/contract';

const views = new WeakMap<Namespace, Namespace>();

/** The namespace as answered (built once per stored version). */
export function namespaceView(ns: Namespace): Namespace {
  let view = views.get(ns);
  if (view === undefined) {
    view = {
      ...ns,
      Capabilities: ns.Capabilities ?? null,
      NodePoolConfiguration: ns.NodePoolConfiguration ?? null,
      VaultConfiguration: ns.VaultConfiguration ?? null,
      ConsulConfiguration: ns.ConsulConfiguration ?? null,
      RequiredExtraClaims: ns.RequiredExtraClaims ?? null,
      OptionalExtraClaims: ns.OptionalExtraClaims ?? null,
      Hash: ns.Hash ?? null,
    };
    views.set(ns, view);
  }
  return view;
}
