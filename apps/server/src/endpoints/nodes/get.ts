// Node.GetNode (nomad/node_endpoint.go): one node by ID, without its secret, as a blocking query.
// A caller needs node:read, or must be the node's own agent (its SecretID as the token): Nomad lets
// a client read any node of its node pool; berth, which has no node pools, only its own node.
import type { Node } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';
import { findNode } from './lookup.js';
import { nodeReadView } from './views.js';

export interface GetNodeRequest {
  token: string;
  nodeID: string;
  blocking: BlockingOptions;
}

export interface GetNodeResponse {
  /** The read body, or `undefined` when no such node exists. */
  node: Node | undefined;
  /** The node's ModifyIndex, or the nodes table's index when it is missing. */
  index: number;
}

export async function getNode(
  ctx: EndpointContext,
  request: GetNodeRequest,
): Promise<GetNodeResponse> {
  return blockingQuery(ctx.store, request.blocking, (ws) => {
    // Authorised first (nodes are not namespaced), and again on every run: a revoked token stops
    // seeing changes.
    const identity = ctx.acl.resolve(request.token, ws);
    if (!identity.allowsNodeRead()) {
      // A node agent reading its own node: never another one, nor learning whether one exists.
      if (identity.nodeID === undefined) throw forbidden();
      const own = findNode(ctx, request.nodeID, ws);
      if (own === undefined || own.ID !== identity.nodeID) throw forbidden();
      return { node: nodeReadView(own), index: own.ModifyIndex };
    }
    const node = findNode(ctx, request.nodeID, ws);
    return node
      ? { node: nodeReadView(node), index: node.ModifyIndex }
      : { node: undefined, index: ctx.store.tableIndex('nodes') };
  });
}
