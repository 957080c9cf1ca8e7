// Namespace.DeleteNamespaces (nomad/namespace_endpoint.go): delete a namespace nothing lives in
// any more. Needs a management token; `default` is never deleted.
import { DEFAULT_NAMESPACE, ErrorText, goQuote, multiError } from '@berth/contract';
import type { EndpointContext } from '../context.js';
import { badRequest, conflict, forbidden, notFound } from '../endpoint-error.js';
import { DEFAULT_REGION } from '../jobs/canonicalize.js';
import { evalTerminal } from '../jobs/status.js';
import { jobView } from '../jobs/views.js';
import type { StateStore } from '../../state/index.js';

export interface DeleteNamespaceRequest {
  token: string;
  name: string;
}

/** Nomad's ClientTerminalStatus: the allocation finished on its node. */
const CLIENT_TERMINAL = new Set(['complete', 'failed', 'lost']);

/**
 * What still lives in `name`, in Nomad's order and words (berth has one region, and no volumes,
 * variables or quotas). Pending or blocked evaluations are berth's addition, worded alike: the
 * scheduler would still place allocations for them.
 */
function inUse(store: StateStore, name: string): string[] {
  const region = `[${DEFAULT_REGION}]`;
  const problems: string[] = [];
  if (store.jobs(name).some((job) => jobView(store, job).job.Status !== 'dead')) {
    problems.push(`namespace ${goQuote(name)} has non-terminal jobs in regions: ${region}`);
  }
  if (store.allocsByNamespace(name).some((a) => !CLIENT_TERMINAL.has(a.ClientStatus))) {
    problems.push(`namespace ${goQuote(name)} has non-terminal allocations in regions: ${region}`);
  }
  if (store.evalsByNamespace(name).some((e) => !evalTerminal(e))) {
    problems.push(`namespace ${goQuote(name)} has non-terminal evaluations in regions: ${region}`);
  }
  return problems;
}

export async function deleteNamespace(
  ctx: EndpointContext,
  request: DeleteNamespaceRequest,
): Promise<{ index: number }> {
  if (!ctx.acl.resolve(request.token).isManagement()) throw forbidden();
  if (request.name === DEFAULT_NAMESPACE) throw badRequest(ErrorText.CannotDeleteDefaultNamespace);
  const { store } = ctx;
  // Checked inside the write, so that nothing is placed in the namespace between check and delete.
  const index = await store.write((tx) => {
    // Nomad's state store fails the same way (answered 500 there).
    if (!tx.namespace(request.name)) throw notFound(ErrorText.NamespaceNotFoundOnDelete);
    const problems = inUse(store, request.name);
    if (problems.length > 0) throw conflict(multiError(problems));
    tx.deleteNamespace(request.name);
  });
  return { index };
}
