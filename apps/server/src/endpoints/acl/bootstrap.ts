// ACL.Bootstrap (nomad/acl_endpoint.go): creates the first management token, once. Needs no token.
// After it, bootstrap is refused with the reset index, unless an operator has put that index in
// the data directory's `acl-bootstrap-reset` file (see bootstrap-reset-file.ts).
import { aclBootstrapAlreadyDone, ErrorText, type AclToken } from '@berth/contract';
import { randomUUID } from 'node:crypto';
import { MANAGEMENT_TOKEN_TYPE } from '../../acl/live-token.js';
import type { EndpointContext } from '../context.js';
import { badRequest } from '../endpoint-error.js';
import { readBootstrapResetIndex, ResetFileError } from './bootstrap-reset-file.js';
import { requireAclEnabled } from './caller.js';
import { tokenHash } from './hash.js';
import { formatTimeNs, nowNs } from './token-time.js';

export interface BootstrapAclRequest {
  /** The secret the operator chose for the token ('' for a random one); must be a UUID. */
  bootstrapSecret: string;
}

export interface BootstrapAclResponse {
  /** The bootstrap token, secret included. */
  token: AclToken;
  index: number;
}

/** Nomad's helper.IsUUID: 8-4-4-4-12 hex digits, any case. */
const UUID = /^[\da-fA-F]{8}-[\da-fA-F]{4}-[\da-fA-F]{4}-[\da-fA-F]{4}-[\da-fA-F]{12}$/;

/** Nomad's text when the reset file names another index than the current one. */
export const invalidBootstrapResetIndex = (specified: number, resetIndex: number): string =>
  `Invalid bootstrap reset index (specified ${specified}, reset index: ${resetIndex})`;

/** The text when the operator's secret is already another token's. */
export const BOOTSTRAP_SECRET_IN_USE = 'BootstrapSecret is already the secret of another token';

/** Checks that bootstrap may run now: never done, or allowed again by the reset file. */
async function checkBootstrapAllowed(ctx: EndpointContext, resetIndex: number): Promise<void> {
  if (resetIndex === 0) return;
  let specified: number | undefined;
  try {
    specified = await readBootstrapResetIndex(ctx.dataDir);
  } catch (error) {
    if (error instanceof ResetFileError) {
      throw badRequest(`${aclBootstrapAlreadyDone(resetIndex)}; ${error.message}`);
    }
    throw error;
  }
  // Nomad reads a missing file, and one holding 0, alike: no reset asked for.
  if (specified === undefined || specified === 0) {
    throw badRequest(aclBootstrapAlreadyDone(resetIndex));
  }
  if (specified !== resetIndex) throw badRequest(invalidBootstrapResetIndex(specified, resetIndex));
}

export async function bootstrapAcl(
  ctx: EndpointContext,
  request: BootstrapAclRequest,
): Promise<BootstrapAclResponse> {
  requireAclEnabled(ctx);
  const resetIndex = ctx.store.aclBootstrapIndex();
  await checkBootstrapAllowed(ctx, resetIndex);
  const secret = request.bootstrapSecret;
  if (secret !== '' && !UUID.test(secret)) throw badRequest(ErrorText.InvalidAclToken);

  let token: AclToken | undefined;
  const index = await ctx.store.write((tx) => {
    // Checked again inside the write: of two bootstraps at once, the second is refused here.
    const now = tx.aclBootstrapIndex();
    if (now !== resetIndex) throw badRequest(aclBootstrapAlreadyDone(now));
    const chosen = secret === '' ? randomUUID() : secret;
    if (tx.aclTokenBySecret(chosen) !== undefined) throw badRequest(BOOTSTRAP_SECRET_IN_USE);
    const created: AclToken = {
      AccessorID: randomUUID(),
      SecretID: chosen,
      Name: 'Bootstrap Token',
      Type: MANAGEMENT_TOKEN_TYPE,
      Policies: null,
      Roles: null,
      Global: true,
      Hash: '',
      CreateTime: formatTimeNs(nowNs()),
      ExpirationTime: null,
      ExpirationTTL: '',
      CreateIndex: tx.index,
      ModifyIndex: tx.index,
    };
    created.Hash = tokenHash(created);
    tx.upsertAclToken(created);
    tx.setAclBootstrapIndex(tx.index);
    token = created;
  });
  if (token === undefined) throw new Error('acl: bootstrap stored no token');
  return { token, index };
}
