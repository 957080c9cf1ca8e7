// Node.UpdateStatus (nomad/node_endpoint.go): a node's status changes (the agent says it is
// ready, or its heartbeat was missed). Going down, or coming back ready, creates `node-update`
// evaluations for the jobs with allocations on it, in the same write.
import { ErrorText, NodeStatusSchema, type NodeEvent, type NodeStatus } from '@berth/contract';
import type { EndpointContext } from '../context.js';
import { badRequest, notFound } from '../endpoint-error.js';
import { nowNanos } from '../time.js';
import {
  NODE_STATUSES,
  nodeUpdateEvals,
  shouldDrainNode,
  transitionRequiresEval,
} from './node-evals.js';

export interface NodeUpdateResult {
  /** The index of the write (the node's ModifyIndex when nothing was written). */
  index: number;
  /** The node's ModifyIndex after the update. */
  nodeModifyIndex: number;
  /** The evaluations created, and the index they were created at (0 if none). */
  evalIDs: string[];
  evalCreateIndex: number;
}

/** Nomad's maxRetainedNodeEvents. */
const MAX_NODE_EVENTS = 10;

/**
 * Sets a node's status. `event` (e.g. `Node heartbeat missed`) is added to the node's events
 * when the status changes, keeping the latest 10.
 */
export async function updateNodeStatus(
  ctx: EndpointContext,
  nodeID: string,
  status: string,
  event?: string,
): Promise<NodeUpdateResult> {
  if (nodeID === '') throw badRequest('missing node ID for client status update');
  if (!NODE_STATUSES.includes(status)) throw badRequest('invalid status for node');
  const next: NodeStatus = NodeStatusSchema.parse(status);
  const node = ctx.store.nodeByID(nodeID);
  if (node === undefined) throw notFound(ErrorText.NodeNotFound);
  const changed = node.Status !== next;
  const wantsEvals = shouldDrainNode(next) || transitionRequiresEval(next, node.Status);
  if (!changed && !wantsEvals) {
    return {
      index: node.ModifyIndex,
      nodeModifyIndex: node.ModifyIndex,
      evalIDs: [],
      evalCreateIndex: 0,
    };
  }

  const now = nowNanos();
  let evalIDs: string[] = [];
  let nodeModifyIndex = node.ModifyIndex;
  const index = await ctx.store.write((tx) => {
    const current = tx.node(nodeID);
    if (current === undefined) throw notFound(ErrorText.NodeNotFound);
    if (current.Status !== next) {
      tx.upsertNode({
        ...current,
        ...(event === undefined ? {} : { Events: withEvent(current.Events, event, tx.index, now) }),
        Status: next,
        StatusUpdatedAt: Math.floor(now / 1e9),
        ModifyIndex: tx.index,
      });
      nodeModifyIndex = tx.index;
    }
    if (shouldDrainNode(next) || transitionRequiresEval(next, current.Status)) {
      evalIDs = nodeUpdateEvals(ctx.store, tx, nodeID, now).map((e) => e.ID);
    }
  });
  return { index, nodeModifyIndex, evalIDs, evalCreateIndex: evalIDs.length > 0 ? index : 0 };
}

/** The node's events with one more (Subsystem `Cluster`), the latest 10 kept. */
function withEvent(
  events: NodeEvent[] | null,
  message: string,
  index: number,
  now: number,
): NodeEvent[] {
  const event: NodeEvent = {
    Message: message,
    Subsystem: 'Cluster',
    Details: null,
    Timestamp: new Date(now / 1e6).toISOString(),
    CreateIndex: index,
  };
  return [...(events ?? []), event].slice(-MAX_NODE_EVENTS);
}
