// Namespace.UpsertNamespaces (nomad/namespace_endpoint.go): create a namespace or replace the
// user-set fields of one, keeping its CreateIndex. Needs a management token.
import { ErrorText, type NamespaceRegisterRequest } from '@berth/contract';
import type { EndpointContext } from '../context.js';
import { badRequest, forbidden } from '../endpoint-error.js';
import { namespaceProblems } from './validate.js';

export interface UpsertNamespaceRequest {
  token: string;
  /** The name in the path; '' when the route takes it from the body only. */
  pathName: string;
  namespace: NamespaceRegisterRequest;
}

export async function upsertNamespace(
  ctx: EndpointContext,
  request: UpsertNamespaceRequest,
): Promise<{ index: number }> {
  const { namespace: given } = request;
  // Nomad's HTTP handler checks this before the RPC, so before authentication.
  if (request.pathName !== '' && given.Name !== request.pathName) {
    throw badRequest(ErrorText.NamespaceNameMismatch);
  }
  if (!ctx.acl.resolve(request.token).isManagement()) throw forbidden();
  const problems = namespaceProblems(given);
  if (problems) throw badRequest(problems);

  const index = await ctx.store.write((tx) => {
    const existing = tx.namespace(given.Name);
    tx.upsertNamespace({
      Name: given.Name,
      Description: given.Description,
      // Quotas are Nomad Enterprise; berth keeps none.
      Quota: '',
      Meta: given.Meta,
      CreateIndex: existing?.CreateIndex ?? tx.index,
      ModifyIndex: tx.index,
    });
  });
  return { index };
}
