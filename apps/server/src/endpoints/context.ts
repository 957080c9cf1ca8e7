// What every endpoint works with: the state store, the ACL resolver and the way to reach node
// agents. Endpoints know nothing of HTTP.
import type { AclResolver } from '../acl/acl.js';
import type { ClientRpc } from '../nodes/client-rpc.js';
import type { NodeHeartbeats } from '../nodes/heartbeats.js';
import type { StateStore } from '../state/index.js';

export interface EndpointContext {
  store: StateStore;
  acl: AclResolver;
  clientRpc: ClientRpc;
  /** The nodes' heartbeat timers; without them no node is ever marked down for silence. */
  heartbeats?: NodeHeartbeats;
}
