// Who calls the agent's API: its servers (the node's SecretID), a user whose token the servers
// vouch for (with the ACL it holds), or nobody. Shared by every route of the agent's API.
import { timingSafeEqual } from 'node:crypto';
import type { Acl } from '@berth/acl';
import { ErrorText } from '@berth/contract';
import type { FastifyReply } from 'fastify';
import {
  AclUnavailableError,
  type Authorisation,
  type TokenAuthorizer,
} from './token-authorizer.js';

/** Who the caller is: this node's servers, or a user and its ACL. */
export type Caller = { kind: 'node' } | { kind: 'user'; acl: Acl };

/** A request refused with `status` and `message` as its text, before or instead of acting. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Sends `body` as text with `status`, as the servers send every error. */
export function sendText(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).type('text/plain; charset=utf-8').send(body);
}

function sameSecret(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Resolves a token to a caller; throws a {@link Refusal}: 403 for an unknown, expired or missing
 * token (always, without `authorizer`, for any token but the node's secret), 503 with the reason
 * when no server could say who the caller is.
 */
export function callerResolver(
  secretID: string,
  authorizer: TokenAuthorizer | undefined,
): (token: string) => Promise<Caller> {
  return async (token) => {
    if (token !== '' && sameSecret(token, secretID)) return { kind: 'node' };
    if (authorizer === undefined) throw new Refusal(403, ErrorText.PermissionDenied);
    let auth: Authorisation;
    try {
      auth = await authorizer.authorise(token);
    } catch (error) {
      // No server could say who the caller is. That is not the caller's mistake (so no 4xx, and
      // no 403 that would judge a token nobody checked) nor a fault of this agent (no 500): 503,
      // with the reason, which the caller may retry.
      if (error instanceof AclUnavailableError) throw new Refusal(503, error.message);
      throw error;
    }
    if (auth.kind === 'denied') throw new Refusal(403, ErrorText.PermissionDenied);
    return { kind: 'user', acl: auth.acl };
  };
}
