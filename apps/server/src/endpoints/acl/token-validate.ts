// Nomad's ACLToken.Validate (nomad/structs/acl.go) with its server defaults: a token's name, type
// and policies, and the rules on its expiry, which differ between creating a token and updating
// one. Every problem is listed in one go-multierror text (`token 0 invalid: ...`).
import {
  ACL_TOKEN_TYPE_CLIENT,
  ACL_TOKEN_TYPE_MANAGEMENT,
  aclTokenInvalid,
  formatGoDuration,
  multiError,
  parseGoDurationBig,
  type AclToken,
  type AclTokenRoleLink,
} from '@berth/contract';
import { isZeroTime, parseTimeNs } from './token-time.js';

const NS_PER_SECOND = 1_000_000_000n;

/** Nomad's default `acl.token_min_expiration_ttl`: 1 minute. */
export const TOKEN_MIN_TTL_NS = 60n * NS_PER_SECOND;

/** Nomad's default `acl.token_max_expiration_ttl`: 24 hours. */
export const TOKEN_MAX_TTL_NS = 24n * 3600n * NS_PER_SECOND;

/** Nomad's `maxTokenNameLength`, in bytes (Go's len). */
const MAX_NAME_BYTES = 256;

/** What Validate looks at of the token being written. */
export interface TokenCandidate {
  Name: string;
  Type: string;
  Policies: readonly string[] | null;
  Roles: readonly AclTokenRoleLink[] | null;
  Global: boolean;
  /** Nanoseconds since the epoch. */
  createTimeNs: bigint;
  /** As sent or derived from the TTL; `null` when none. */
  ExpirationTime: string | null;
  /** Nanoseconds. */
  ttlNs: bigint;
}

/** The TTL a stored token was made with, in nanoseconds (its Go duration text; '' is 0). */
export function storedTtlNs(token: Pick<AclToken, 'ExpirationTTL'>): bigint {
  const text = token.ExpirationTTL;
  return text === '' ? 0n : (parseGoDurationBig(text) ?? 0n);
}

function expiryProblems(token: TokenCandidate): string[] {
  const errors: string[] = [];
  if (token.ttlNs < 0n) {
    errors.push(`token expiration TTL '${formatGoDuration(token.ttlNs)}' should not be negative`);
  }
  const expires = token.ExpirationTime === null ? undefined : parseTimeNs(token.ExpirationTime);
  if (expires !== undefined && !isZeroTime(expires)) {
    if (token.createTimeNs > expires) errors.push('expiration time cannot be before create time');
    const expiresIn = expires - token.createTimeNs;
    if (expiresIn > TOKEN_MAX_TTL_NS) {
      errors.push(
        `expiration time cannot be more than ${formatGoDuration(TOKEN_MAX_TTL_NS)} in the future (was ${formatGoDuration(expiresIn)})`,
      );
    } else if (expiresIn < TOKEN_MIN_TTL_NS) {
      errors.push(
        `expiration time cannot be less than ${formatGoDuration(TOKEN_MIN_TTL_NS)} in the future (was ${formatGoDuration(expiresIn)})`,
      );
    }
  }
  return errors;
}

function updateProblems(token: TokenCandidate, existing: AclToken): string[] {
  const errors: string[] = [];
  if (existing.Global !== token.Global) errors.push('cannot toggle global mode');
  if (storedTtlNs(existing) !== token.ttlNs) errors.push('cannot update expiration TTL');
  if (token.ExpirationTime !== null) {
    const given = parseTimeNs(token.ExpirationTime);
    const kept =
      existing.ExpirationTime === null ? undefined : parseTimeNs(existing.ExpirationTime);
    if (given === undefined || kept === undefined || given !== kept) {
      errors.push('cannot update expiration time');
    }
  }
  return errors;
}

/**
 * Nomad's text for an invalid token (`existing` is the stored token an update replaces), or
 * `undefined` when it is valid.
 */
export function tokenProblems(
  token: TokenCandidate,
  existing: AclToken | undefined,
): string | undefined {
  const errors: string[] = [];
  if (Buffer.byteLength(token.Name, 'utf8') > MAX_NAME_BYTES) errors.push('token name too long');
  const policies = token.Policies?.length ?? 0;
  const roles = token.Roles?.length ?? 0;
  if (token.Type === ACL_TOKEN_TYPE_CLIENT) {
    if (policies === 0 && roles === 0) errors.push('client token missing policies or roles');
  } else if (token.Type === ACL_TOKEN_TYPE_MANAGEMENT) {
    if (policies !== 0 || roles !== 0) {
      errors.push('management token cannot be associated with policies or roles');
    }
  } else {
    errors.push('token type must be client or management');
  }
  errors.push(
    ...(existing === undefined ? expiryProblems(token) : updateProblems(token, existing)),
  );
  return errors.length === 0 ? undefined : aclTokenInvalid(0, multiError(errors));
}
