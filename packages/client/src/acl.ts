// The ACL API of the client (Nomad's Go api `ACLTokens()` and `ACLPolicies()`): bootstrap,
// policies and tokens.
import {
  AclPolicySchema,
  AclTokenSchema,
  AclWriteResponseSchema,
  contract,
  type AclPolicy,
  type AclPolicyListStub,
  type AclPolicyRequestInput,
  type AclToken,
  type AclTokenListStub,
  type AclTokenRequestInput,
  type QueryOptionsSchema,
} from '@berth/contract';
import type { z } from 'zod';
import { enc, type ApiResponse, type Call, type CallOptions } from './call.js';
import type { QueryMeta } from './query-meta.js';

/** Query of the ACL reads: the shared read options (`prefix`, `index`+`wait` to block...). */
export type AclQuery = z.input<typeof QueryOptionsSchema>;

/** A policy to create or update: `Name` required, the rest optional. */
export type AclPolicyInput = AclPolicyRequestInput & { Name: string };

/**
 * A token to create: `Type` (`client` or `management`), `Policies` for a client token, and
 * optionally `Name`, `Global`, `ExpirationTime` (RFC 3339) or `ExpirationTTL` (Go duration text
 * such as `"1h"`, or nanoseconds).
 */
export type AclTokenInput = AclTokenRequestInput;

/** A token to update: its `AccessorID` and the new values. */
export type AclTokenUpdateInput = AclTokenRequestInput & { AccessorID: string };

/** The answer of a policy write or a delete: no body, only the write's `X-Nomad-Index` in `meta`. */
export interface AclWriteResponse {
  meta: QueryMeta;
}

/** The ACL API. */
export interface AclApi {
  /**
   * `PUT /v1/acl/bootstrap`: creates the initial management token, once; `bootstrapSecret` (a
   * UUID) chooses its secret, else the server makes one. Needs no token.
   */
  bootstrap(bootstrapSecret?: string, opts?: CallOptions): Promise<ApiResponse<AclToken>>;
  /** `GET /v1/acl/policies`: policy stubs in name order; `prefix` filters; `index`+`wait` block. */
  policies(query?: AclQuery, opts?: CallOptions): Promise<ApiResponse<AclPolicyListStub[]>>;
  /**
   * `GET /v1/acl/policy/self`: stubs of the policies the call's token holds (every policy for a
   * management token), in name order; `prefix` filters; `index`+`wait` block. Refused (403)
   * without a token. `[]` when there are none (Nomad sends `null`, read here as `[]`).
   */
  policySelf(query?: AclQuery, opts?: CallOptions): Promise<ApiResponse<AclPolicyListStub[]>>;
  /** `GET /v1/acl/policy/:name`: one policy with its rules (404 `ACL policy not found`). */
  policyInfo(name: string, query?: AclQuery, opts?: CallOptions): Promise<ApiResponse<AclPolicy>>;
  /** `PUT /v1/acl/policy/:name`: creates or updates the policy `policy.Name`. */
  policyUpsert(policy: AclPolicyInput, opts?: CallOptions): Promise<AclWriteResponse>;
  /** `DELETE /v1/acl/policy/:name`: deletes a policy. */
  policyDelete(name: string, opts?: CallOptions): Promise<AclWriteResponse>;
  /** `GET /v1/acl/tokens`: token stubs (no secrets); `prefix` on the accessor; pages; blocks. */
  tokens(query?: AclQuery, opts?: CallOptions): Promise<ApiResponse<AclTokenListStub[]>>;
  /** `PUT /v1/acl/token`: creates a token and answers it, secret included. */
  tokenCreate(token: AclTokenInput, opts?: CallOptions): Promise<ApiResponse<AclToken>>;
  /** `PUT /v1/acl/token/:accessor`: updates the token `token.AccessorID` and answers it. */
  tokenUpdate(token: AclTokenUpdateInput, opts?: CallOptions): Promise<ApiResponse<AclToken>>;
  /** `GET /v1/acl/token/:accessor`: one token, secret included (404 `ACL token not found`). */
  tokenInfo(accessor: string, query?: AclQuery, opts?: CallOptions): Promise<ApiResponse<AclToken>>;
  /** `GET /v1/acl/token/self`: the token the call is made with (the anonymous token without one). */
  tokenSelf(query?: AclQuery, opts?: CallOptions): Promise<ApiResponse<AclToken>>;
  /** `DELETE /v1/acl/token/:accessor`: deletes a token. */
  tokenDelete(accessor: string, opts?: CallOptions): Promise<AclWriteResponse>;
}

/** The ACL API over the shared call steps. */
export function createAclApi(call: Call): AclApi {
  const api = call.api.acl;
  const routes = contract.acl;
  return {
    async bootstrap(bootstrapSecret, opts) {
      const res = await api.bootstrapPut({
        query: call.scope(opts),
        body: bootstrapSecret === undefined ? undefined : { BootstrapSecret: bootstrapSecret },
        ...call.request(opts),
      });
      return call.finish(res, AclTokenSchema, 'PUT', '/v1/acl/bootstrap');
    },
    async policies(query, opts) {
      const res = await api.policies({
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, routes.policies.responses[200], 'GET', '/v1/acl/policies');
    },
    async policySelf(query, opts) {
      const res = await api.policySelf({
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      const path = '/v1/acl/policy/self';
      const answer = call.finish(res, routes.policySelf.responses[200], 'GET', path);
      return { data: answer.data ?? [], meta: answer.meta };
    },
    async policyInfo(name, query, opts) {
      const res = await api.policyInfo({
        params: { name: enc(name) },
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, AclPolicySchema, 'GET', `/v1/acl/policy/${name}`);
    },
    async policyUpsert(policy, opts) {
      const res = await api.policyUpsertPut({
        params: { name: enc(policy.Name) },
        query: call.scope(opts),
        body: policy,
        ...call.request(opts),
      });
      const path = `/v1/acl/policy/${policy.Name}`;
      return { meta: call.finish(res, AclWriteResponseSchema, 'PUT', path).meta };
    },
    async policyDelete(name, opts) {
      const res = await api.policyDelete({
        params: { name: enc(name) },
        query: call.scope(opts),
        ...call.request(opts),
      });
      const path = `/v1/acl/policy/${name}`;
      return { meta: call.finish(res, AclWriteResponseSchema, 'DELETE', path).meta };
    },
    async tokens(query, opts) {
      const res = await api.tokens({
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, routes.tokens.responses[200], 'GET', '/v1/acl/tokens');
    },
    async tokenCreate(token, opts) {
      const res = await api.tokenCreatePut({
        query: call.scope(opts),
        body: token,
        ...call.request(opts),
      });
      return call.finish(res, AclTokenSchema, 'PUT', '/v1/acl/token');
    },
    async tokenUpdate(token, opts) {
      const res = await api.tokenUpdatePut({
        params: { accessor: enc(token.AccessorID) },
        query: call.scope(opts),
        body: token,
        ...call.request(opts),
      });
      return call.finish(res, AclTokenSchema, 'PUT', `/v1/acl/token/${token.AccessorID}`);
    },
    async tokenInfo(accessor, query, opts) {
      const res = await api.tokenInfo({
        params: { accessor: enc(accessor) },
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, AclTokenSchema, 'GET', `/v1/acl/token/${accessor}`);
    },
    async tokenSelf(query, opts) {
      const res = await api.tokenSelf({
        query: { ...call.scope(opts), ...query },
        ...call.request(opts),
      });
      return call.finish(res, AclTokenSchema, 'GET', '/v1/acl/token/self');
    },
    async tokenDelete(accessor, opts) {
      const res = await api.tokenDelete({
        params: { accessor: enc(accessor) },
        query: call.scope(opts),
        ...call.request(opts),
      });
      const path = `/v1/acl/token/${accessor}`;
      return { meta: call.finish(res, AclWriteResponseSchema, 'DELETE', path).meta };
    },
  };
}
