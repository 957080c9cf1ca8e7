// Nomad's ACL objects as its HTTP API sends them (nomad/structs/acl.go): ACLPolicy and its list
// stub, ACLToken and its list stub. `Hash` is a `[]byte`, so base64 on the wire; a token's
// `ExpirationTTL` goes out as Go's duration text (`"1h0m0s"`, `""` when unset), as Nomad's
// `ACLToken.MarshalJSON` writes it.
import { z } from 'zod';
import { goBoolField, goInt, goPtr, goSlice, goString, goTime } from './wire.js';

/** A Go `[]byte`: base64 text, `null` when nil (the built-in tokens have no hash). */
const goHash = () => z.string().nullable().default(null);

/** A token's type: `client` (its policies apply) or `management` (everything allowed). */
export const AclTokenTypeSchema = z.enum(['client', 'management']);

/** A token's type. */
export type AclTokenType = z.infer<typeof AclTokenTypeSchema>;

/** The type of a token that holds policies. */
export const ACL_TOKEN_TYPE_CLIENT = 'client' satisfies AclTokenType;

/** The type of a token allowed everything. */
export const ACL_TOKEN_TYPE_MANAGEMENT = 'management' satisfies AclTokenType;

const JobAclShape = {
  Namespace: goString(),
  JobID: goString(),
  Group: goString(),
  Task: goString(),
};

/** The zod type of {@link JobAclSchema} (named, so declaration files stay small). */
export interface JobAclSchemaType extends z.ZodObject<typeof JobAclShape> {}

/**
 * A policy's attachment to a job, group or task (workload identities). berth attaches no policy
 * to workloads: always `null` in its answers.
 */
export const JobAclSchema: JobAclSchemaType = z.object(JobAclShape);

/** A policy's job attachment. */
export type JobAcl = z.infer<typeof JobAclSchema>;

const AclPolicyShape = {
  Name: z.string(),
  Description: goString(),
  /** The policy's rules, HCL or JSON, as written. */
  Rules: goString(),
  /** The rules parsed (Nomad's `acl.Policy`, sent by Read only); free-form, `null` when absent. */
  RulesJSON: goPtr(z.record(z.string(), z.unknown())),
  JobACL: goPtr(JobAclSchema),
  /** Base64 of the policy's hash (BLAKE2b-256 of name, description and rules in Nomad). */
  Hash: goHash(),
  CreateIndex: goInt(),
  ModifyIndex: goInt(),
};

/** The zod type of {@link AclPolicySchema} (named, so declaration files stay small). */
export interface AclPolicySchemaType extends z.ZodObject<typeof AclPolicyShape> {}

/** An ACL policy: a named set of rules (`namespace "x" { policy = "read" }`...). */
export const AclPolicySchema: AclPolicySchemaType = z.object(AclPolicyShape);

/** An ACL policy as sent on the wire. */
export type AclPolicy = z.infer<typeof AclPolicySchema>;

const AclPolicyListStubShape = {
  Name: z.string(),
  Description: goString(),
  JobACL: goPtr(JobAclSchema),
  Hash: goHash(),
  CreateIndex: goInt(),
  ModifyIndex: goInt(),
};

/** The zod type of {@link AclPolicyListStubSchema} (named, so declaration files stay small). */
export interface AclPolicyListStubSchemaType extends z.ZodObject<typeof AclPolicyListStubShape> {}

/** A policy in a list: everything but its rules. */
export const AclPolicyListStubSchema: AclPolicyListStubSchemaType =
  z.object(AclPolicyListStubShape);

/** An ACL policy list stub as sent on the wire. */
export type AclPolicyListStub = z.infer<typeof AclPolicyListStubSchema>;

const AclTokenRoleLinkShape = {
  ID: goString(),
  Name: goString(),
};

/** The zod type of {@link AclTokenRoleLinkSchema} (named, so declaration files stay small). */
export interface AclTokenRoleLinkSchemaType extends z.ZodObject<typeof AclTokenRoleLinkShape> {}

/** A token's link to an ACL role (Nomad's roles; berth has none, so tokens carry `null`). */
export const AclTokenRoleLinkSchema: AclTokenRoleLinkSchemaType = z.object(AclTokenRoleLinkShape);

/** A token's role link. */
export type AclTokenRoleLink = z.infer<typeof AclTokenRoleLinkSchema>;

const AclTokenShape = {
  /** The token's public ID (a UUID). */
  AccessorID: z.string(),
  /** The secret a caller presents in `X-Nomad-Token` (a UUID). */
  SecretID: goString(),
  Name: goString(),
  Type: AclTokenTypeSchema,
  /** The policies of a client token; `null` for a management token. */
  Policies: goSlice(z.string()),
  Roles: goSlice(AclTokenRoleLinkSchema),
  /** Replicated to every region (berth has one region). */
  Global: goBoolField(),
  /** Base64 of the token's hash (of its name, type, policies, roles and globality). */
  Hash: goHash(),
  /** When the token was made, RFC 3339 with nanoseconds. */
  CreateTime: goTime(),
  /** When the token stops working, RFC 3339; `null` when it never expires. */
  ExpirationTime: goTime(),
  /** The TTL the token was made with, as Go's duration text (`"1h0m0s"`); `""` when none. */
  ExpirationTTL: goString(),
  CreateIndex: goInt(),
  ModifyIndex: goInt(),
};

/** The zod type of {@link AclTokenSchema} (named, so declaration files stay small). */
export interface AclTokenSchemaType extends z.ZodObject<typeof AclTokenShape> {}

/** An ACL token, secret included (the answer of bootstrap, create, update, read and self). */
export const AclTokenSchema: AclTokenSchemaType = z.object(AclTokenShape);

/** An ACL token as sent on the wire. */
export type AclToken = z.infer<typeof AclTokenSchema>;

// A token's fields but its secret and its TTL, in the token's order (Nomad's ACLTokenListStub).
const AclTokenListStubShape = z
  .object(AclTokenShape)
  .omit({ SecretID: true, ExpirationTTL: true }).shape;

/** The zod type of {@link AclTokenListStubSchema} (named, so declaration files stay small). */
export interface AclTokenListStubSchemaType extends z.ZodObject<typeof AclTokenListStubShape> {}

/** A token in a list: no `SecretID`, no `ExpirationTTL`. */
export const AclTokenListStubSchema: AclTokenListStubSchemaType = z.object(AclTokenListStubShape);

/** An ACL token list stub as sent on the wire. */
export type AclTokenListStub = z.infer<typeof AclTokenListStubSchema>;

/**
 * The token of a caller without one, while ACLs are enabled (Nomad's `AnonymousACLToken`): what
 * `tokenSelf` answers for it. Its one policy is the policy named `anonymous`, if there is one.
 */
export const ANONYMOUS_ACL_TOKEN: Readonly<AclToken> = Object.freeze({
  AccessorID: 'anonymous',
  SecretID: '',
  Name: 'Anonymous Token',
  Type: 'client',
  Policies: ['anonymous'],
  Roles: null,
  Global: false,
  Hash: null,
  CreateTime: '0001-01-01T00:00:00Z',
  ExpirationTime: null,
  ExpirationTTL: '',
  CreateIndex: 0,
  ModifyIndex: 0,
});
