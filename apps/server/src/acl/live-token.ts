// The ACL token a request's secret stands for, as Nomad's resolver finds it (nomad/auth/auth.go
// resolveSecretToken): looked up by SecretID in the state store and refused once expired.
// Shared by the ACL API endpoints and the resolver every other endpoint uses.

import type { AclToken } from '@berth/contract';

import type { StateStore, WatchSet } from '../state/index.js';

/** Nomad's token types. */
export const MANAGEMENT_TOKEN_TYPE = 'management';
export const CLIENT_TOKEN_TYPE = 'client';

/** Go's zero time: a token whose ExpirationTime is this never expires (Nomad's IsZero). */
const GO_ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z');

/**
 * When `token` expires, in milliseconds since the epoch; `undefined` when it never does. A time
 * that cannot be read counts as already expired (fail closed: the contract only stores valid ones).
 */
export function tokenExpiresAtMs(token: Pick<AclToken, 'ExpirationTime'>): number | undefined {
  const time = token.ExpirationTime;
  if (time === null || time === undefined || time === '') return undefined;
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return Number.NEGATIVE_INFINITY;
  return ms === GO_ZERO_TIME_MS ? undefined : ms;
}

/** True when `token` has an expiration time at or before `nowMs`. */
export function tokenExpired(token: Pick<AclToken, 'ExpirationTime'>, nowMs: number): boolean {
  const expiresAt = tokenExpiresAtMs(token);
  return expiresAt !== undefined && expiresAt <= nowMs;
}

/** True for a management token (everything allowed). */
export function isManagementToken(token: Pick<AclToken, 'Type'>): boolean {
  return token.Type === MANAGEMENT_TOKEN_TYPE;
}

/**
 * The stored token whose SecretID is `secret` (compared as stored, by the state store's index),
 * or `undefined` when there is none, `secret` is empty, or the token has expired. With `ws`, the
 * lookup is watched (a blocking query re-checks its caller when the token changes).
 */
export function liveTokenBySecret(
  store: StateStore,
  secret: string,
  nowMs: number,
  ws?: WatchSet,
): AclToken | undefined {
  if (secret === '') return undefined;
  const token = store.aclTokenBySecret(secret, ws);
  if (token === undefined || tokenExpired(token, nowMs)) return undefined;
  return token;
}

/** The name of the policy an anonymous caller holds (Nomad's anonymous token's only policy). */
export const ANONYMOUS_POLICY = 'anonymous';
