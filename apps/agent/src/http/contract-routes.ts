// What every contract router of the agent's API shares, mounted with @ts-rest/fastify: errors as
// text (a Refusal's status and text, Nomad's 400 texts for what the contract refuses, 500
// otherwise), a JSON body decoded as Nomad's handlers decode it, and 405 for the methods the
// contract does not give a path. Each router keeps its own checks and answers.
import { ErrorText, requestToken } from '@berth/contract';
import { isAppRoute, type AppRoute, type AppRouter } from '@ts-rest/core';
import {
  initServer,
  type RequestValidationError,
  type RouterImplementation,
} from '@ts-rest/fastify';
import type { FastifyInstance, FastifyRequest, preValidationHookHandler } from 'fastify';
import { Refusal, sendText } from './caller.js';

export interface ContractRoutesOptions {
  /**
   * The routes take a JSON body: it is decoded before the contract validates it, and its
   * problems come first, all of them named (as Nomad's handlers decode the body first). Without
   * it, the first problem of the query, path, headers or body is the answer.
   */
  jsonBody?: boolean;
  /** Other methods on the contract's paths: 405 `Invalid method` (default), or left unserved. */
  otherMethods?: 'refuse' | 'unserved';
}

/** Methods an HTTP client may send; those a path does not take are refused with 405. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

const s = initServer();

function routesOf(router: AppRouter): AppRoute[] {
  return Object.values(router).flatMap((entry) => (isAppRoute(entry) ? [entry] : routesOf(entry)));
}

/** The token a handler's request carries in its headers (`X-Nomad-Token`, else a bearer). */
export function headerToken(args: { request: unknown }): string {
  // ts-rest 3.52 types the request against fastify 4's generics.
  return requestToken((args.request as FastifyRequest).headers);
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

/** The 400 text for what the contract refuses in a request. */
function validationText(error: RequestValidationError, jsonBody: boolean): string {
  if (jsonBody) {
    const issues = (error.body ?? error.query ?? error.pathParams ?? error.headers)?.issues;
    return issues?.map((issue) => issue.message).join('; ') || 'Invalid request';
  }
  const issue = (error.query ?? error.pathParams ?? error.headers ?? error.body)?.issues[0];
  return issue?.message ?? 'Invalid request';
}

/**
 * Mounts `router` (the implementation of `contract`) on `app`, in a context of its own (ts-rest
 * sets its error handler there). Every answer is checked against the contract's schema.
 */
export async function registerContractRoutes<TContract extends AppRouter>(
  app: FastifyInstance,
  contract: TContract,
  router: RouterImplementation<TContract>,
  options: ContractRoutesOptions = {},
): Promise<void> {
  const jsonBody = options.jsonBody ?? false;
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
      s.registerRouter(contract, router, routes, {
        logInitialization: false,
        responseValidation: true,
        ...(jsonBody ? { hooks: { preValidation: decodeJsonBody } } : {}),
        requestValidationErrorHandler: (error: RequestValidationError, _req, reply) => {
          void sendText(reply, 400, validationText(error, jsonBody));
        },
      });
      done();
    });
    if (options.otherMethods === 'unserved') return;
    // Any other method is refused before anything is read or done, as on the servers (a GET
    // must never restart anything).
    const all = routesOf(contract);
    for (const path of new Set(all.map((route) => route.path))) {
      const taken = new Set<string>(all.filter((r) => r.path === path).map((r) => r.method));
      api.route({
        method: METHODS.filter((method) => !taken.has(method)),
        url: path,
        onRequest: (_req, reply) => {
          void sendText(reply, 405, ErrorText.InvalidMethod);
        },
        handler: (_req, reply) => sendText(reply, 405, ErrorText.InvalidMethod),
      });
    }
  });
}
