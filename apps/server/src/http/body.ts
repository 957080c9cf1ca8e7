// Request bodies as Nomad's HTTP agent decodes them: the content type is never looked at, an
// empty body is not an error by itself, and each endpoint decides what an empty or broken body
// means (signal requires one, restart takes its defaults, stop ignores it).
import {
  AclBootstrapRequestSchema,
  AclPolicyRequestSchema,
  AclTokenRequestSchema,
  contract,
  ErrorText,
  failedToDecodeBody,
  failedToDecodeRequestBody,
  JsonDepthError,
  parseJson,
} from '@berth/contract';
import { isAppRoute, type AppRoute, type AppRouter } from '@ts-rest/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest } from '../endpoints/endpoint-error.js';

/** What a request's body held: nothing, only white space, broken JSON, or a JSON value. */
export type BodyState =
  { kind: 'none' } | { kind: 'blank' } | { kind: 'invalid'; detail: string } | { kind: 'json' };

declare module 'fastify' {
  interface FastifyRequest {
    bodyState: BodyState;
  }
}

/** Replaces fastify's parsers by one that reads every body as JSON and never throws. */
export function registerBodyParser(app: FastifyInstance): void {
  // Each request gets its own state object in onRequest; the decoration only declares the key.
  app.decorateRequest('bodyState', null as never);
  app.addHook('onRequest', (request, _reply, done) => {
    request.bodyState = { kind: 'none' };
    done();
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, raw, done) => {
    const text = raw as string;
    if (text.length === 0) return done(null, undefined);
    if (text.trim().length === 0) {
      request.bodyState = { kind: 'blank' };
      return done(null, undefined);
    }
    try {
      // parseJson keeps the text, so Go-typed fields are checked against the literal sent.
      const value: unknown = parseJson(text);
      request.bodyState = { kind: 'json' };
      done(null, value);
    } catch (error) {
      // JSON.parse and parseJson throw SyntaxError for a broken body; anything else is a defect.
      if (!(error instanceof SyntaxError)) return done(error as Error, undefined);
      request.bodyState = { kind: 'invalid', detail: goJsonError(text, error) };
      done(null, undefined);
    }
  });
}

/**
 * What a route makes of its body, as its Nomad handler decodes it: whether it needs one (signal,
 * job register, ACL policy and token writes) or takes defaults when none is sent (restart,
 * bootstrap); whether a body of only white space is Go's `EOF` (every decoding handler but
 * restart's, which ignores io.EOF); and how its errors are worded (the allocation handlers'
 * `Failed to decode body: `, bootstrap's `failed to decode request body: `, or Go's text bare as
 * the job, policy and token handlers answer it). Routes not listed (stop, deletes) ignore their
 * body, however broken.
 */
interface BodyRule {
  required: boolean;
  blankIsEof: boolean;
  wording: (problem: string) => string;
}

const bare = (problem: string) => problem;
const allocationRule = (required: boolean): BodyRule => ({
  required,
  blankIsEof: required,
  wording: failedToDecodeBody,
});
/** Job and ACL policy/token writes: `decodeBody`, its error answered as it is. */
const bareRequired: BodyRule = { required: true, blankIsEof: true, wording: bare };
/** Bootstrap decodes only a body that is sent (`ContentLength != 0`), its errors prefixed. */
const bootstrapRule: BodyRule = {
  required: false,
  blankIsEof: true,
  wording: failedToDecodeRequestBody,
};

const { signal, signalPut, restart, restartPut } = contract.allocations;
const { register, registerPost, update, updatePut } = contract.jobs;
const bodyRules = new Map<string, BodyRule>([
  ...[signal, signalPut].map((r) => [routeKey(r), allocationRule(true)] as const),
  ...[restart, restartPut].map((r) => [routeKey(r), allocationRule(false)] as const),
  ...[register, registerPost, update, updatePut].map((r) => [routeKey(r), bareRequired] as const),
  // The ACL writes are found by the body they decode, so a POST/PUT twin or a new route taking
  // the same body gets the same rule.
  ...routesWithBody(AclPolicyRequestSchema).map((r) => [routeKey(r), bareRequired] as const),
  ...routesWithBody(AclTokenRequestSchema).map((r) => [routeKey(r), bareRequired] as const),
  ...routesWithBody(AclBootstrapRequestSchema).map((r) => [routeKey(r), bootstrapRule] as const),
]);

function routeKey(route: AppRoute): string {
  return `${route.method} ${route.path}`;
}

function routesOf(router: AppRouter): AppRoute[] {
  return Object.values(router).flatMap((entry) => (isAppRoute(entry) ? [entry] : routesOf(entry)));
}

/** The contract's routes whose body is `schema`. */
function routesWithBody(schema: unknown): AppRoute[] {
  return routesOf(contract).filter((route) => 'body' in route && route.body === schema);
}

/** Answers a missing or broken body with Nomad's texts, before the contract validates it. */
export function registerBodyChecks(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    const route = (request.routeOptions.config as { tsRestRoute?: AppRoute }).tsRestRoute;
    const rule = route && bodyRules.get(routeKey(route));
    const problem = rule && bodyProblem(request, rule);
    if (!problem) return done();
    done(badRequest(rule.wording(problem)));
  });
}

function bodyProblem(request: FastifyRequest, rule: BodyRule): string | undefined {
  const state = request.bodyState;
  if (state.kind === 'invalid') return state.detail;
  if (state.kind === 'blank' && rule.blankIsEof) return 'EOF';
  if (state.kind === 'none' && rule.required) return ErrorText.RequestBodyIsEmpty;
  return undefined;
}

// Go's encoding/json words for the two mistakes people make, a truncated document and a stray
// character, and for nesting deeper than Go decodes (parseJson words that one already). Anything
// else keeps JavaScript's own description.
function goJsonError(text: string, error: unknown): string {
  if (error instanceof JsonDepthError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  if (/end of (JSON )?input|Unterminated/i.test(message)) return 'unexpected EOF';
  const token =
    /Unexpected token '?(.)'?/.exec(message) ??
    /Unexpected (?:non-whitespace )?character/.exec(message);
  if (token) {
    const position = /position (\d+)/.exec(message);
    const char = token[1] ?? (position ? text[Number(position[1])] : undefined);
    if (char !== undefined) return `invalid character '${char}' looking for beginning of value`;
  }
  return message;
}
