// What the agent's API asks of the servers to authorise a user's token, as Nomad's client asks
// them with the ACL.WhoAmI and ACL.GetPolicies RPCs (client/acl.go): the token behind a secret,
// then each of its policies, read with that same secret. Over HTTP through the contract's ACL
// routes, failing over between servers as the daemon's calls do.
import { contract, ErrorText, NomadHeader } from '@berth/contract';
import { initClient } from '@ts-rest/core';
import { ok, serverFailover, ServerCallError } from '../daemon/server-failover.js';

/** What a token is, as far as authorising it goes. */
export interface TokenInfo {
  type: 'client' | 'management';
  /** Names of its policies. */
  policies: string[];
  /** When it stops being valid (ms since the epoch), or undefined if never. */
  expiresAtMs: number | undefined;
}

/**
 * A server's answer: what was asked for, `missing` (no such policy), `denied` (the servers do not
 * know or refuse the token) or `disabled` (ACLs are off on the servers).
 */
export type AclAnswer<T> =
  { kind: 'found'; value: T } | { kind: 'missing' } | { kind: 'denied' } | { kind: 'disabled' };

/**
 * The servers' side of token resolution. Both calls throw a `ServerCallError` when no server
 * answers (status 0) or one answers something else than the cases of {@link AclAnswer}.
 */
export interface AclServers {
  /** The token whose secret is `secret` (`GET /v1/acl/token/self`). */
  tokenSelf(secret: string): Promise<AclAnswer<TokenInfo>>;
  /** The rules of policy `name`, read with `secret` ('' for anonymous). */
  policyRules(name: string, secret: string): Promise<AclAnswer<string>>;
}

/** Longest wait for one server's answer before the next server is tried. */
const CALL_TIMEOUT_MS = 10_000;

function clientOf(baseUrl: string) {
  return initClient(contract.acl, { baseUrl, baseHeaders: {} });
}

/**
 * Go's `time.Time` as RFC 3339, or null. Go's zero time (`0001-01-01T00:00:00Z`) is no expiry;
 * a text that does not parse is refused rather than read as "never expires".
 */
export function expirationOf(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined || text === '' || text.startsWith('0001-01-01')) {
    return undefined;
  }
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new ServerCallError(502, `unreadable ExpirationTime "${text}"`);
  return at;
}

/** How a refusal reads: ACLs off (400 `ACL support disabled`), or the token refused (403). */
function refusal(error: unknown): AclAnswer<never> | undefined {
  if (!(error instanceof ServerCallError)) return undefined;
  if (error.status === 400 && error.message === ErrorText.AclDisabled) return { kind: 'disabled' };
  // Nomad answers an unknown or expired token `Permission denied` or `ACL token not found`.
  if (error.status === 403) return { kind: 'denied' };
  return undefined;
}

/** {@link AclServers} over HTTP to `servers` (base URLs). */
export function httpAclServers(servers: readonly string[]): AclServers {
  const call = serverFailover(servers, clientOf);
  const options = (secret: string) => ({
    extraHeaders: secret === '' ? {} : { [NomadHeader.Token]: secret },
    fetchOptions: { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) },
  });
  return {
    async tokenSelf(secret) {
      try {
        const { body } = ok(await call((c) => c.tokenSelf(options(secret))));
        return {
          kind: 'found',
          value: {
            type: body.Type === 'management' ? 'management' : 'client',
            policies: body.Policies ?? [],
            expiresAtMs: expirationOf(body.ExpirationTime),
          },
        };
      } catch (error) {
        // Nomad's tokenSelf answers 404 `ACL token not found` when there is no token to show.
        if (
          error instanceof ServerCallError &&
          error.status === 404 &&
          error.message === ErrorText.ACLTokenNotFound
        ) {
          return { kind: 'denied' };
        }
        const answer = refusal(error);
        if (answer) return answer;
        throw error;
      }
    },
    async policyRules(name, secret) {
      try {
        const { body } = ok(
          await call((c) => c.policyInfo({ params: { name }, ...options(secret) })),
        );
        return { kind: 'found', value: body.Rules };
      } catch (error) {
        if (
          error instanceof ServerCallError &&
          error.status === 404 &&
          error.message === ErrorText.AclPolicyNotFound
        ) {
          return { kind: 'missing' };
        }
        const answer = refusal(error);
        if (answer) return answer;
        throw error;
      }
    },
  };
}
