// The wire views of a stored token: the token itself (secret included: only its holder or a
// management token ever reads it) and Nomad's ACLToken.Stub for lists (no secret, no TTL).
import type { AclToken, AclTokenListStub } from '@berth/contract';

export function tokenStub(token: AclToken): AclTokenListStub {
  return {
    AccessorID: token.AccessorID,
    Name: token.Name,
    Type: token.Type,
    Policies: token.Policies,
    Roles: token.Roles,
    Global: token.Global,
    Hash: token.Hash,
    CreateTime: token.CreateTime,
    ExpirationTime: token.ExpirationTime,
    CreateIndex: token.CreateIndex,
    ModifyIndex: token.ModifyIndex,
  };
}
