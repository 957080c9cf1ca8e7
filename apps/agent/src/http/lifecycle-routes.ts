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
  requestToken,
  unknownAllocation,
  type AllocRestartRequest,
  type AllocSignalRequest,
} from '@berth/contract';
import { isAppRoute, type AppRoute, type AppRouter } from '@ts-rest/core';
import { initServer, type RequestValidationError } from '@ts-rest/fastify';
import type { FastifyInstance, FastifyRequest, preValidationHookHandler } from 'fastify';
import { LifecycleError, type AllocRunner } from '../allocrunner/types.js';
import type { AgentAlloc } from './app.js';
import { Refusal, sendText, type Caller } from './caller.js';

export interface LifecycleRoutesOptions {
  authenticate: (token: string) => Promise<Caller>;
  /** An allocation this node runs, if any. */
  allocation(allocID: string): AgentAlloc | undefined;
}

const s = initServer();

/** Methods an HTTP client may send; those a path does not take are refused with 405. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

function routesOf(router: AppRouter): AppRoute[] {
  return Object.values(router).flatMap((entry) => (isAppRoute(entry) ? [entry] : routesOf(entry)));
}

/**
 * The body as JSON before the contract validates it: an empty or missing body is an empty
 * request, as Nomad's decoder allows (the app reads every body as text).
 */
const decodeJsonBody: preValidationHookHandler = (request, _reply, done) => {
  const body = request.body;
  if (typeof body !== 'string' || body.trim() === '') {
    request.body = {};
    return done();
  }
  try {
    request.body = JSON.parse(body) as unknown;
  } catch (error) {
    if (!(error instanceof SyntaxError)) return done(error as Error);
    return done(new Refusal(400, 'Failed to decode request body'));
  }
  done();
};

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
  const headerToken = (args: Args<unknown>) =>
    requestToken((args.request as FastifyRequest).headers);

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

  await app.register(async (api) => {
    // Errors are text, as everywhere in the API. ts-rest sets its own handler in the context
    // below, which hands anything but a request validation error on to this one.
    api.setErrorHandler((error: Error & { statusCode?: number }, _req, reply) => {
      if (error instanceof Refusal) return sendText(reply, error.status, error.message);
      const code = error.statusCode ?? 500;
      if (code >= 400 && code < 500) return sendText(reply, code, error.message);
      return sendText(reply, 500, ErrorText.InternalError);
    });
    await api.register((routes, _opts, done) => {
      s.registerRouter(clientAllocationsContract, router, routes, {
        logInitialization: false,
        // Every answer is checked against the contract's schema before it is sent.
        responseValidation: true,
        hooks: { preValidation: decodeJsonBody },
        // The body is decoded first, as Nomad's handlers do; all its problems are named.
        requestValidationErrorHandler: (error: RequestValidationError, _req, reply) => {
          const issues = (error.body ?? error.query ?? error.pathParams ?? error.headers)?.issues;
          const message = issues?.map((issue) => issue.message).join('; ');
          void sendText(reply, 400, message || 'Invalid request');
        },
      });
      done();
    });
    // Any other method is refused before anything is done, as on the servers (a GET must never
    // restart anything).
    const routes = routesOf(clientAllocationsContract);
    for (const path of new Set(routes.map((route) => route.path))) {
      const taken = new Set<string>(routes.filter((r) => r.path === path).map((r) => r.method));
      api.route({
        method: METHODS.filter((method) => !taken.has(method)),
        url: path,
        handler: (_req, reply) => sendText(reply, 405, ErrorText.InvalidMethod),
      });
    }
  });
}
