// Namespace.GetNamespace (nomad/namespace_endpoint.go): one namespace by name, as a blocking
// query; the caller needs some capability in it.
import type { Namespace } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';
import { namespaceView } from './views.js';

export interface GetNamespaceRequest {
  token: string;
  name: string;
  blocking: BlockingOptions;
}

export interface GetNamespaceResponse {
  /** The namespace, or `undefined` when it does not exist. */
  namespace: Namespace | undefined;
  /** Its ModifyIndex; the namespaces table's index when it does not exist. */
  index: number;
}

export async function getNamespace(
  ctx: EndpointContext,
  request: GetNamespaceRequest,
): Promise<GetNamespaceResponse> {
  return blockingQuery(ctx.store, request.blocking, (ws) => {
    // Authorised first, and again on every run: a revoked token stops seeing changes.
    if (!ctx.acl.resolve(request.token, ws).allowsNamespace(request.name)) throw forbidden();
    const namespace = ctx.store.namespaceByName(request.name, ws);
    return {
      namespace: namespace && namespaceView(namespace),
      index: namespace ? namespace.ModifyIndex : ctx.store.tableIndex('namespaces'),
    };
  });
}
