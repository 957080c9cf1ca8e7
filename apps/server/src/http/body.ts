// Request bodies as Nomad's HTTP agent decodes them: the content type is never looked at, an
// empty body is not an error by itself, and each endpoint decides what an empty or broken body
// means (signal requires one, restart takes its defaults, stop ignores it).
import { contract, failedToDecodeBody, JsonDepthError, parseJson } from '@berth/contract';
import type { AppRoute } from '@ts-rest/core';
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
 * What a route makes of its body: whether it needs one (signal, job register) or takes defaults
 * from an absent or blank one (restart), and whether its errors carry the allocation handlers'
 * `Failed to decode body: ` prefix (the job handlers answer the decoder's text bare). Routes not
 * listed (stop) ignore their body, however broken.
 */
interface BodyRule {
  required: boolean;
  prefixed: boolean;
}

const { signal, signalPut, restart, restartPut } = contract.allocations;
const { register, registerPost, update, updatePut } = contract.jobs;
const bodyRules = new Map<string, BodyRule>([
  ...[signal, signalPut].map((r) => [routeKey(r), { required: true, prefixed: true }] as const),
  ...[restart, restartPut].map((r) => [routeKey(r), { required: false, prefixed: true }] as const),
  ...[register, registerPost, update, updatePut].map(
    (r) => [routeKey(r), { required: true, prefixed: false }] as const,
  ),
]);

function routeKey(route: AppRoute): string {
  return `${route.method} ${route.path}`;
}

/** Answers a missing or broken body with Nomad's texts, before the contract validates it. */
export function registerBodyChecks(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    const route = (request.routeOptions.config as { tsRestRoute?: AppRoute }).tsRestRoute;
    const rule = route && bodyRules.get(routeKey(route));
    const problem = rule && bodyProblem(request, rule);
    if (!problem) return done();
    done(badRequest(rule.prefixed ? failedToDecodeBody(problem) : problem));
  });
}

function bodyProblem(request: FastifyRequest, rule: BodyRule): string | undefined {
  const state = request.bodyState;
  if (state.kind === 'invalid') return state.detail;
  if (!rule.required) return undefined;
  if (state.kind === 'none') return 'Request body is empty';
  if (state.kind === 'blank') return 'EOF';
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
