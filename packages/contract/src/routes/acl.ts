// The ACL API (Nomad's /v1/acl/bootstrap, /v1/acl/policies, /v1/acl/policy/self,
// /v1/acl/policy/:name, /v1/acl/tokens, /v1/acl/token[/:accessor], /v1/acl/token/self), route
// keys named after Nomad's Go api client (`ACLTokens().Bootstrap`, `ACLPolicies().Upsert`, ...). Nomad's handlers
// take POST and PUT alike for every write: each has a POST route and a PUT twin sharing a handler.
import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { QueryOptionsSchema, writeOptionsShape } from '../query.js';
import {
  AclBootstrapRequestSchema,
  AclPolicyRequestSchema,
  AclTokenRequestSchema,
} from '../schemas/acl-requests.js';
import {
  AclPolicyListStubSchema,
  AclPolicySchema,
  AclTokenListStubSchema,
  AclTokenSchema,
} from '../schemas/acl.js';
import { goSlice } from '../schemas/wire.js';
import { errorResponses } from './errors.js';

const c = initContract();

/** The policy name in the path; any string (the server validates it). */
export const AclPolicyNamePathSchema = z.object({ name: z.string() });

/** The token accessor in the path; any string (the server looks it up). */
export const AclTokenAccessorPathSchema = z.object({ accessor: z.string() });

/**
 * Nomad's one-time token paths (`nomad ui -authenticate`: `POST /v1/acl/token/onetime` makes a
 * secret valid ten minutes, `.../exchange` trades it for the token), which berth does not serve
 * and so are no routes of this contract. A berth server answers their POST and PUT with 404
 * `ErrorText.OneTimeTokensUnsupported` and any other method with 405 `Invalid method`, as
 * Nomad's handlers refuse other methods; `/v1/acl/token/onetime` is never read as an accessor.
 */
export const ACL_ONE_TIME_TOKEN_PATHS = [
  '/v1/acl/token/onetime',
  '/v1/acl/token/onetime/exchange',
] as const;

/** The methods Nomad's one-time token handlers take (see {@link ACL_ONE_TIME_TOKEN_PATHS}). */
export const ACL_ONE_TIME_TOKEN_METHODS = ['POST', 'PUT'] as const;

/** An ACL write's answer where Nomad sends no body: empty; the index is in `X-Nomad-Index`. */
export const AclWriteResponseSchema = z.string();

const writeQuery = z.object(writeOptionsShape);
const emptyWrite = { 200: AclWriteResponseSchema };
const tokenAnswer = { 200: AclTokenSchema };

const bootstrapDescription =
  'Creates the initial management token, once (400 `ACL bootstrap already done (reset index: N)` after). The optional body `{"BootstrapSecret": "<uuid>"}` chooses its secret (400 `invalid acl token` when not a UUID). No ACL needed. Body errors read `failed to decode request body: <Go text>`. Answers the token, and its index in `X-Nomad-Index`.';

const policySelfDescription =
  "Lists the stubs of the policies the request's token holds, in name order (a static path, matched before `policyInfo`, so no policy named `self` can be read, written or deleted; other methods answer 405 `Invalid method`). A management token gets every policy; a client token those it names that exist. `prefix` filters on the name; blocking query. Without a token (the anonymous caller), or with a node's secret or an unknown or expired one: 403 `Permission denied` (Nomad serves this path to workload identities and to ACL tokens; berth has no workload identities). Nomad answers `null` when the list is empty (berth: `[]`). With ACLs off: 400 `ACL support disabled`, whatever the token (Nomad: 403 when the token is not a UUID).";

const policyUpsertDescription =
  "Creates or updates a policy (`Name` must equal the path, else 400 `ACL policy name does not match request path`; name `^[a-zA-Z0-9-]{1,128}$`, `Description` up to 256 bytes, `Rules` in Nomad's policy language, else 400 `policy 0 invalid: ...`). Body errors are Go's bare texts; no body: 400 `Request body is empty`. Answers an empty body and the write index in `X-Nomad-Index`. ACL management.";

const tokenWriteDescription =
  "`Type` `client` (with at least one policy) or `management` (no policies); `Global`; `ExpirationTime` (RFC 3339) or `ExpirationTTL` (Go duration text or nanoseconds). Body errors are Go's bare texts; no body: 400 `Request body is empty`. Answers the token (secret included) and the write index in `X-Nomad-Index`. ACL management.";

/** The ACL routes. Error answers are text (see `ErrorText`), never JSON. */
export const aclContract = c.router(
  {
    bootstrap: {
      method: 'POST',
      path: '/v1/acl/bootstrap',
      query: writeQuery,
      body: AclBootstrapRequestSchema,
      responses: tokenAnswer,
      summary: 'Bootstrap the ACL system',
      description: bootstrapDescription,
    },
    bootstrapPut: {
      method: 'PUT',
      path: '/v1/acl/bootstrap',
      query: writeQuery,
      body: AclBootstrapRequestSchema,
      responses: tokenAnswer,
      summary: 'Bootstrap the ACL system (PUT)',
      description: 'Same as `bootstrap`.',
    },
    policies: {
      method: 'GET',
      path: '/v1/acl/policies',
      query: QueryOptionsSchema,
      responses: { 200: z.array(AclPolicyListStubSchema) },
      summary: 'List ACL policies',
      description:
        'Lists policies in name order; `prefix` filters on the name; blocking query. A management token sees every policy; another token only the policies it holds (none: `[]`).',
    },
    policySelf: {
      method: 'GET',
      path: '/v1/acl/policy/self',
      query: QueryOptionsSchema,
      responses: { 200: goSlice(AclPolicyListStubSchema) },
      summary: "List the calling token's ACL policies",
      description: policySelfDescription,
    },
    policyInfo: {
      method: 'GET',
      path: '/v1/acl/policy/:name',
      pathParams: AclPolicyNamePathSchema,
      query: QueryOptionsSchema,
      responses: { 200: AclPolicySchema },
      summary: 'Read an ACL policy',
      description:
        'Reads one policy, its rules parsed in `RulesJSON`; blocking query; 404 `ACL policy not found`. ACL management, a token holding the policy, or anyone for the policy named `anonymous`.',
    },
    policyUpsert: {
      method: 'POST',
      path: '/v1/acl/policy/:name',
      pathParams: AclPolicyNamePathSchema,
      query: writeQuery,
      body: AclPolicyRequestSchema,
      responses: emptyWrite,
      summary: 'Create or update an ACL policy',
      description: policyUpsertDescription,
    },
    policyUpsertPut: {
      method: 'PUT',
      path: '/v1/acl/policy/:name',
      pathParams: AclPolicyNamePathSchema,
      query: writeQuery,
      body: AclPolicyRequestSchema,
      responses: emptyWrite,
      summary: 'Create or update an ACL policy (PUT)',
      description: 'Same as `policyUpsert`.',
    },
    policyDelete: {
      method: 'DELETE',
      path: '/v1/acl/policy/:name',
      pathParams: AclPolicyNamePathSchema,
      query: writeQuery,
      body: c.noBody(),
      responses: emptyWrite,
      summary: 'Delete an ACL policy',
      description:
        'Deletes a policy (deleting one that does not exist succeeds, as in Nomad). Answers an empty body and the write index in `X-Nomad-Index`. ACL management.',
    },
    tokens: {
      method: 'GET',
      path: '/v1/acl/tokens',
      query: QueryOptionsSchema,
      responses: { 200: z.array(AclTokenListStubSchema) },
      summary: 'List ACL tokens',
      description:
        'Lists tokens (no secrets) in creation order, or by accessor with `prefix` (even number of hex digits); `per_page`/`next_token`, `reverse`, `filter`; blocking query. ACL management.',
    },
    tokenCreate: {
      method: 'POST',
      path: '/v1/acl/token',
      query: writeQuery,
      body: AclTokenRequestSchema,
      responses: tokenAnswer,
      summary: 'Create an ACL token',
      description: `Creates a token; the server sets its accessor, secret and times. ${tokenWriteDescription}`,
    },
    tokenCreatePut: {
      method: 'PUT',
      path: '/v1/acl/token',
      query: writeQuery,
      body: AclTokenRequestSchema,
      responses: tokenAnswer,
      summary: 'Create an ACL token (PUT)',
      description: 'Same as `tokenCreate`.',
    },
    tokenSelf: {
      method: 'GET',
      path: '/v1/acl/token/self',
      query: QueryOptionsSchema,
      responses: tokenAnswer,
      summary: 'Read the calling ACL token',
      description:
        'Reads the token whose secret the request carries (a static path, matched before `tokenInfo`): without a secret, the anonymous token (`ANONYMOUS_ACL_TOKEN`); 400 `ACL support disabled` while ACLs are off, as every ACL route (Nomad answers a placeholder token; berth says plainly that there is none, and node agents tell from it that ACLs are off); 403 `Permission denied` for an unknown secret; 404 `ACL token not found` for a workload identity. Other methods on this path answer 405 `Invalid method`.',
    },
    tokenUpdate: {
      method: 'POST',
      path: '/v1/acl/token/:accessor',
      pathParams: AclTokenAccessorPathSchema,
      query: writeQuery,
      body: AclTokenRequestSchema,
      responses: tokenAnswer,
      summary: 'Update an ACL token',
      description: `Updates a token: the body's \`AccessorID\` must equal the path's (400 \`ACL token accessor does not match request path\`); 400 \`cannot find token <accessor>\`; \`Global\` and the expiration cannot change. ${tokenWriteDescription}`,
    },
    tokenUpdatePut: {
      method: 'PUT',
      path: '/v1/acl/token/:accessor',
      pathParams: AclTokenAccessorPathSchema,
      query: writeQuery,
      body: AclTokenRequestSchema,
      responses: tokenAnswer,
      summary: 'Update an ACL token (PUT)',
      description: 'Same as `tokenUpdate`.',
    },
    tokenInfo: {
      method: 'GET',
      path: '/v1/acl/token/:accessor',
      pathParams: AclTokenAccessorPathSchema,
      query: QueryOptionsSchema,
      responses: tokenAnswer,
      summary: 'Read an ACL token',
      description:
        'Reads one token by accessor, secret included; blocking query; 404 `ACL token not found`. ACL management, or the token itself.',
    },
    tokenDelete: {
      method: 'DELETE',
      path: '/v1/acl/token/:accessor',
      pathParams: AclTokenAccessorPathSchema,
      query: writeQuery,
      body: c.noBody(),
      responses: emptyWrite,
      summary: 'Delete an ACL token',
      description:
        'Deletes a token by accessor (400 `Cannot delete nonexistent tokens: <accessor>`). Answers an empty body and the write index in `X-Nomad-Index`. ACL management.',
    },
  },
  { commonResponses: errorResponses, strictStatusCodes: true },
);
