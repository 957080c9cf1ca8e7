// Namespace.ListNamespaces (nomad/namespace_endpoint.go): the namespaces whose name starts with
// the prefix, in name order, each shown only to a caller holding some capability in it; a
// blocking query on the namespaces table.
import type { Namespace } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
import { namespaceView } from './views.js';

export interface ListNamespacesRequest {
  token: string;
  /** A name prefix ('' for none). */
  prefix: string;
  blocking: BlockingOptions;
}

export interface ListNamespacesResponse {
  namespaces: Namespace[];
  /** The namespaces table's index. */
  index: number;
}

export async function listNamespaces(
  ctx: EndpointContext,
  request: ListNamespacesRequest,
): Promise<ListNamespacesResponse> {
  return blockingQuery(ctx.store, request.blocking, (ws) => {
    // Authenticated first, and again on every run: a revoked or narrowed token sees less.
    const identity = ctx.acl.resolve(request.token, ws);
    return {
      namespaces: ctx.store
        .namespaces(ws)
        .filter((ns) => ns.Name.startsWith(request.prefix) && identity.allowsNamespace(ns.Name))
        .map(namespaceView),
      index: ctx.store.tableIndex('namespaces'),
    };
  });
}
