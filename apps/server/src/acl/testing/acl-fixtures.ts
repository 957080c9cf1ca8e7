// ACL policies and tokens written straight into a state store, for tests of what callers may do
// (the ACL API's own checks are not what these tests are about).
import type { AclPolicy, AclToken } from '@berth/contract';
import { randomUUID } from 'node:crypto';
import type { StateStore } from '../../state/index.js';

/** Stores (or replaces) the policy `name` with `rules`; returns it as stored. */
export async function putPolicy(
  store: StateStore,
  name: string,
  rules: string,
): Promise<AclPolicy> {
  let stored: AclPolicy | undefined;
  await store.write((tx) => {
    const existing = tx.aclPolicy(name);
    stored = {
      Name: name,
      Description: '',
      Rules: rules,
      RulesJSON: null,
      JobACL: null,
      Hash: '',
      CreateIndex: existing?.CreateIndex ?? tx.index,
      ModifyIndex: tx.index,
    };
    tx.upsertAclPolicy(stored);
  });
  return stored!;
}

export async function deletePolicy(store: StateStore, name: string): Promise<void> {
  await store.write((tx) => tx.deleteAclPolicy(name));
}

export interface TokenOptions {
  type?: 'client' | 'management';
  policies?: string[];
  /** RFC 3339; `null` (the default) for a token that never expires. */
  expirationTime?: string | null;
}

/** Stores a new token; returns it as stored (its `SecretID` is what a caller presents). */
export async function putToken(store: StateStore, options: TokenOptions = {}): Promise<AclToken> {
  const type = options.type ?? 'client';
  let stored: AclToken | undefined;
  await store.write((tx) => {
    stored = {
      AccessorID: randomUUID(),
      SecretID: randomUUID(),
      Name: '',
      Type: type,
      Policies: type === 'management' ? null : (options.policies ?? []),
      Roles: null,
      Global: false,
      Hash: '',
      CreateTime: new Date().toISOString(),
      ExpirationTime: options.expirationTime ?? null,
      ExpirationTTL: '',
      CreateIndex: tx.index,
      ModifyIndex: tx.index,
    };
    tx.upsertAclToken(stored);
  });
  return stored!;
}

export async function deleteToken(store: StateStore, token: AclToken): Promise<void> {
  await store.write((tx) => tx.deleteAclToken(token.AccessorID));
}
