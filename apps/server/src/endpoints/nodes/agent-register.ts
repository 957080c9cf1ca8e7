// Node.Register as a node agent calls it (nomad/node_endpoint.go): the registration, then the
// node's heartbeat timer, whose TTL the agent must beat.
import { NodeStatus, type NodeRegistration } from '@berth/contract';
import { DEFAULT_HEARTBEAT_TTL_MS } from '../../nodes/heartbeats.js';
import type { EndpointContext } from '../context.js';
import { registrationNodeId } from './lookup.js';
import { authorizeRegistration } from './node-auth.js';
import { registerNode } from './register.js';
import type { NodeUpdateResult } from './update-status.js';

export interface AgentNodeUpdateResult extends NodeUpdateResult {
  /** The TTL the agent must heartbeat within, in milliseconds (0 for a node that is down). */
  heartbeatTTLMs: number;
}

/**
 * Registers the agent's node and starts its heartbeat timer (unless it registers as down).
 * `token` is the request's: with ACLs on, a token with node:write, or for a node already
 * registered, that node's SecretID (`authorizeRegistration`).
 */
export async function registerNodeFromAgent(
  ctx: EndpointContext,
  registration: NodeRegistration,
  token: string,
): Promise<AgentNodeUpdateResult> {
  // Authenticated before anything is read: a bad token is a 403.
  const identity = ctx.acl.resolve(token);
  const result = await registerNode(ctx, registration, (original) =>
    authorizeRegistration(identity, original),
  );
  // The timer goes by the ID the node is stored under (a registered ID is a valid one).
  const nodeID = registrationNodeId(registration.ID);
  return { ...result, heartbeatTTLMs: heartbeatTTL(ctx, nodeID, registration.Status) };
}

/** Resets the node's timer for a live status, clears it for `down` (Nomad's UpdateStatus). */
export function heartbeatTTL(ctx: EndpointContext, nodeID: string, status: string): number {
  if (status === NodeStatus.Down) {
    ctx.heartbeats?.clear(nodeID);
    return 0;
  }
  return ctx.heartbeats?.reset(nodeID) ?? DEFAULT_HEARTBEAT_TTL_MS;
}
