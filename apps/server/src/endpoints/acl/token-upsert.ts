// ACL.UpsertTokens (nomad/acl_endpoint.go), one token per request as Nomad's HTTP API sends it:
// create a token (the server picks its accessor, secret and create time) or update one by its
// accessor. Needs a management token.
//
// An update keeps the stored AccessorID, SecretID, CreateTime and CreateIndex (Nomad's state
// store), refuses to toggle `Global` or change the expiry, and may change the type (as Nomad:
// Validate does not look at it). Departure: an update that sends no ExpirationTime keeps the
// stored one; Nomad would store the token without it, so that it never expires.
import {
  ErrorText,
  cannotFindRole,
  cannotFindToken,
  formatGoDuration,
  type AclToken,
  type AclTokenRequest,
} from '@berth/contract';
import { randomUUID } from 'node:crypto';
import type { WriteTx } from '../../state/index.js';
import type { EndpointContext } from '../context.js';
import { badRequest } from '../endpoint-error.js';
import { managementCaller, requireAclEnabled } from './caller.js';
import { tokenHash } from './hash.js';
import { tokenAccessor } from './token-lookup.js';
import { canonicalTimeText, formatTimeNs, nowNs, parseTimeNs } from './token-time.js';
import { tokenProblems, type TokenCandidate } from './token-validate.js';

export interface UpsertAclTokenRequest {
  token: string;
  /** The accessor in the path; '' when creating (`/v1/acl/token`). */
  pathAccessor: string;
  body: AclTokenRequest;
}

export interface UpsertAclTokenResponse {
  /** The token as stored, secret included. */
  token: AclToken;
  index: number;
}

const tokenLookupFailed = (detail: string) => `token lookup failed: ${detail}`;

/** The stored token the request updates (`undefined`: it creates one). */
function existingToken(tx: WriteTx, accessor: string): AclToken | undefined {
  if (accessor === '') return undefined;
  const stored = tokenAccessor(accessor, tokenLookupFailed);
  const existing = stored === undefined ? undefined : tx.aclToken(stored);
  // Nomad would take an unknown accessor with a SecretID as a token to upload; the contract's
  // body carries no SecretID, so an unknown accessor is always this.
  if (existing === undefined) throw badRequest(cannotFindToken(accessor));
  return existing;
}

/** The token to validate and store: Nomad's Canonicalize for a new one, the request as is else. */
function candidate(body: AclTokenRequest, existing: AclToken | undefined): TokenCandidate {
  const ttlNs = BigInt(body.ExpirationTTL);
  let expiration = body.ExpirationTime === null ? null : canonicalTimeText(body.ExpirationTime);
  let createTimeNs: bigint;
  if (existing === undefined) {
    createTimeNs = nowNs();
    if (expiration === null && ttlNs !== 0n) expiration = formatTimeNs(createTimeNs + ttlNs);
  } else {
    createTimeNs = parseTimeNs(existing.CreateTime ?? '') ?? 0n;
  }
  return {
    Name: body.Name,
    Type: body.Type,
    Policies: body.Policies,
    Roles: body.Roles,
    Global: body.Global,
    createTimeNs,
    ExpirationTime: expiration,
    ttlNs,
  };
}

export async function upsertAclToken(
  ctx: EndpointContext,
  request: UpsertAclTokenRequest,
): Promise<UpsertAclTokenResponse> {
  const { body } = request;
  // Nomad's HTTP handler checks this before the RPC, so before anything else.
  if (request.pathAccessor !== '' && body.AccessorID !== request.pathAccessor) {
    throw badRequest(ErrorText.AclTokenAccessorMismatch);
  }
  requireAclEnabled(ctx);
  managementCaller(ctx, request.token);

  let stored: AclToken | undefined;
  const index = await ctx.store.write((tx) => {
    // Looked up inside the write, so the token cannot change between the checks and the write.
    const existing = existingToken(tx, body.AccessorID);
    const token = candidate(body, existing);
    const problems = tokenProblems(token, existing);
    if (problems !== undefined) throw badRequest(problems);
    // berth has no ACL roles, so a link to one never resolves (Nomad's text).
    const role = body.Roles?.[0];
    if (role !== undefined) throw badRequest(cannotFindRole(role.ID === '' ? role.Name : role.ID));

    const next: AclToken = {
      AccessorID: existing?.AccessorID ?? randomUUID(),
      SecretID: existing?.SecretID ?? randomUUID(),
      Name: token.Name,
      Type: token.Type as AclToken['Type'],
      Policies: token.Policies === null ? null : [...token.Policies],
      Roles: null,
      Global: token.Global,
      Hash: '',
      CreateTime: existing?.CreateTime ?? formatTimeNs(token.createTimeNs),
      ExpirationTime:
        existing !== undefined && token.ExpirationTime === null
          ? existing.ExpirationTime
          : token.ExpirationTime,
      ExpirationTTL: token.ttlNs === 0n ? '' : formatGoDuration(token.ttlNs),
      CreateIndex: existing?.CreateIndex ?? tx.index,
      ModifyIndex: tx.index,
    };
    next.Hash = tokenHash(next);
    // (A fresh random secret colliding with another token's fails the write: tx checks it.)
    tx.upsertAclToken(next);
    stored = next;
  });
  if (stored === undefined) throw new Error('acl: token write stored no token');
  return { token: stored, index };
}
