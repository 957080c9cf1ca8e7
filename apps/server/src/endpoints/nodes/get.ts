// Node.GetNode (nomad/node_endpoint.go): one node by ID, without its secret, as a blocking query.
import type { Node } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
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
  ctx.acl.resolve(request.token);
  return blockingQuery(ctx.store, request.blocking, (ws) => {
    const node = findNode(ctx, request.nodeID, ws);
    return node
      ? { node: nodeReadView(node), index: node.ModifyIndex }
      : { node: undefined, index: ctx.store.tableIndex('nodes') };
  });
}
