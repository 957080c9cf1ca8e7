// Node.UpdateStatus as a node agent's heartbeat (nomad/node_endpoint.go, nomad/heartbeat.go): the
// node says it is alive, its timer restarts, and a node that was marked down comes back ready
// (the scheduler then re-evaluates its jobs).
import { NodeStatus } from '@berth/contract';
import { NODE_HEARTBEAT_REREGISTERED } from '../../nodes/heartbeats.js';
import type { EndpointContext } from '../context.js';
import { heartbeatTTL, type AgentNodeUpdateResult } from './agent-register.js';
import { authenticateNode } from './node-auth.js';
import { updateNodeStatus } from './update-status.js';

export interface NodeHeartbeatRequest {
  /** The caller's token: the node's SecretID. */
  token: string;
  nodeID: string;
  /** The status the node reports; '' means `ready`. */
  status: string;
}

export async function heartbeatNode(
  ctx: EndpointContext,
  request: NodeHeartbeatRequest,
): Promise<AgentNodeUpdateResult> {
  const node = authenticateNode(ctx, request.nodeID, request.token);
  const status = request.status || NodeStatus.Ready;
  const back = node.Status === NodeStatus.Down && status !== NodeStatus.Down;
  const result = await updateNodeStatus(
    ctx,
    node.ID,
    status,
    back ? NODE_HEARTBEAT_REREGISTERED : undefined,
  );
  return { ...result, heartbeatTTLMs: heartbeatTTL(ctx, node.ID, status) };
}
