// FileSystem.* on a server (nomad/client_fs_endpoint.go): an allocation's files and logs, asked
// of the node agent that runs it. Checked here before anything is forwarded, in Nomad's order:
// authenticate (403) → the allocation (404) → `read-logs` (logs) or `read-fs` in its namespace
// (403) → its node (404).
import { unknownAllocation, unknownNode } from '@berth/contract';
import type { AppRoute } from '@ts-rest/core';
import type { FsForwarder, ForwardedStream } from '../../nodes/fs-forward.js';
import type { EndpointContext } from '../context.js';
import { forbidden, notFound } from '../endpoint-error.js';
import { findAlloc } from '../allocations/lookup.js';

export interface AllocFsRequest {
  token: string;
  allocID: string;
  route: AppRoute;
  capability: 'read-logs' | 'read-fs';
  /** The caller's query string, passed on as it came (the contract has checked it). */
  query: string;
  signal: AbortSignal;
}

export async function allocFs(
  ctx: EndpointContext,
  forwarder: FsForwarder,
  request: AllocFsRequest,
): Promise<ForwardedStream> {
  const identity = ctx.acl.resolve(request.token);
  const alloc = findAlloc(ctx, request.allocID);
  if (!alloc) throw notFound(unknownAllocation(request.allocID));
  if (!identity.allows(alloc.Namespace, request.capability)) throw forbidden();
  const node = ctx.store.nodeByID(alloc.NodeID);
  if (!node) throw notFound(unknownNode(alloc.NodeID));
  return forwarder.forward(node, request.route, alloc.ID, request.query, request.signal);
}
