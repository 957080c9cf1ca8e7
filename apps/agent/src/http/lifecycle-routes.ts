// Signal and restart of the allocations this node runs (Nomad's client endpoints,
// command/agent/alloc_endpoint.go on a client), mounted from the contract's
// `clientAllocationsContract` with @ts-rest/fastify. The servers forward these calls with the
// node's SecretID; Nomad's clients call the node's HTTPAddr directly with the user's token and take
// any answer as final, so a user's token is checked here as a server checks it:
//
//   body (400) ── authenticate (403/503) ── this node runs it? (404) ── alloc-lifecycle (403)
//        ── the runner (its LifecycleError's status and text; anything else 500 with its text)
import {
  clientAllocationsContract,
  ErrorText,
  unknownAllocation,
  type AllocRestartRequest,
  type AllocSignalRequest,
} from '@berth/contract';
import { initServer } from '@ts-rest/fastify';
import type { FastifyInstance } from 'fastify';
import { LifecycleError, type AllocRunner } from '../allocrunner/types.js';
import type { AgentAlloc } from './app.js';
import type { Caller } from './caller.js';
import { headerToken, registerContractRoutes } from './contract-routes.js';

export interface LifecycleRoutesOptions {
  authenticate: (token: string) => Promise<Caller>;
  /** An allocation this node runs, if any. */
  allocation(allocID: string): AgentAlloc | undefined;
}

const s = initServer();

/** Mounts the routes on `app`, in a context of their own (ts-rest sets its error handler there). */
export async function registerLifecycleRoutes(
  app: FastifyInstance,
  options: LifecycleRoutesOptions,
): Promise<void> {
  const { authenticate } = options;

  /** Carries out `act` on the allocation if the caller may; the answer, in the contract's terms. */
  async function carryOut(
    allocID: string,
    token: string,
    act: (runner: AllocRunner) => Promise<void>,
  ) {
    const caller = await authenticate(token);
    const alloc = options.allocation(allocID);
    if (alloc === undefined) return { status: 404 as const, body: unknownAllocation(allocID) };
    // The node's own secret may act on every allocation placed on it.
    if (
      caller.kind === 'user' &&
      !caller.acl.allowNamespaceOperation(alloc.namespace, 'alloc-lifecycle')
    ) {
      return { status: 403 as const, body: ErrorText.PermissionDenied };
    }
    try {
      await act(alloc.runner);
    } catch (error) {
      if (error instanceof LifecycleError) return { status: error.status, body: error.message };
      // A runner's fault: its text, so the caller (and the servers passing it on) see why.
      return { status: 500 as const, body: error instanceof Error ? error.message : String(error) };
    }
    // Nomad sends `{"Index":0}`; clients accept both.
    return { status: 200 as const, body: {} };
  }

  /** What a handler reads of its validated request (POST and PUT twins share one handler). */
  interface Args<Body> {
    params: { allocID: string };
    body: Body;
    request: unknown;
  }
  const signal = (args: Args<AllocSignalRequest>) =>
    carryOut(
      args.params.allocID,
      // As in Nomad (and on the servers), the body's AuthToken counts when no header carries one.
      headerToken(args) || args.body.AuthToken,
      (runner) => runner.signal(args.body.Task, args.body.Signal),
    );
  const restart = (args: Args<AllocRestartRequest>) =>
    carryOut(args.params.allocID, headerToken(args), (runner) =>
      runner.restart(args.body.TaskName, args.body.AllTasks),
    );
  const router = s.router(clientAllocationsContract, {
    signal,
    signalPut: signal,
    restart,
    restartPut: restart,
  });

  await registerContractRoutes(app, clientAllocationsContract, router, { jsonBody: true });
}
