// HTTP handlers of the ACL endpoints (Nomad's command/agent/acl_endpoint.go): read the request,
// call the endpoint, write the body and the X-Nomad-* headers. No state is touched here.
import {
  aclContract,
  ErrorText,
  type AclPolicyRequest,
  type AclTokenRequest,
  type AclBootstrapRequest,
  requestToken,
} from '@berth/contract';
import { initServer } from '@ts-rest/fastify';
import type { FastifyReply } from 'fastify';
import { bootstrapAcl } from '../../endpoints/acl/bootstrap.js';
import { deleteAclPolicy } from '../../endpoints/acl/policy-delete.js';
import { getAclPolicy } from '../../endpoints/acl/policy-get.js';
import { listAclPolicies } from '../../endpoints/acl/policy-list.js';
import { listOwnAclPolicies } from '../../endpoints/acl/policy-self.js';
import { upsertAclPolicy } from '../../endpoints/acl/policy-upsert.js';
import { deleteAclToken } from '../../endpoints/acl/token-delete.js';
import { getAclToken } from '../../endpoints/acl/token-get.js';
import { listAclTokens } from '../../endpoints/acl/token-list.js';
import { aclTokenSelf } from '../../endpoints/acl/token-self.js';
import { upsertAclToken } from '../../endpoints/acl/token-upsert.js';
import type { EndpointContext } from '../../endpoints/context.js';
import { badRequest } from '../../endpoints/endpoint-error.js';
import { chooseSerializer } from '../json.js';
import { setIndex, setQueryMeta } from '../meta.js';
import { answerMissing, answerViews, fastifyOf, pageOptions, readArgs } from './route-args.js';

const s = initServer();

/** A write's answer where Nomad sends no body: empty, the write's index in `X-Nomad-Index`. */
function answerWrite(reply: FastifyReply, index: number) {
  setIndex(reply, index);
  return { status: 200 as const, body: '' };
}

/** Nomad's HTTP handlers refuse an empty name or accessor in the path before anything else. */
function policyName(params: { name: string }): string {
  if (params.name === '') throw badRequest(ErrorText.MissingPolicyName);
  return params.name;
}

function tokenAccessorParam(accessor: string): string {
  if (accessor === '') throw badRequest(ErrorText.MissingTokenAccessor);
  return accessor;
}

/** Fastify's request and reply of a write, and the caller's token. */
function writeArgs(args: { request: unknown; reply: unknown }) {
  const { request, reply } = fastifyOf(args);
  return { request, reply, token: requestToken(request.headers) };
}

export function aclRoutes(ctx: EndpointContext) {
  const bootstrap = async (args: {
    body: AclBootstrapRequest;
    request: unknown;
    reply: unknown;
  }) => {
    const { request, reply } = writeArgs(args);
    const result = await bootstrapAcl(ctx, { bootstrapSecret: args.body.BootstrapSecret });
    setIndex(reply, result.index);
    chooseSerializer(request, reply, true);
    return { status: 200 as const, body: result.token };
  };

  const policyUpsert = async (args: {
    params: { name: string };
    body: AclPolicyRequest;
    request: unknown;
    reply: unknown;
  }) => {
    const { reply, token } = writeArgs(args);
    const result = await upsertAclPolicy(ctx, {
      token,
      pathName: policyName(args.params),
      policy: args.body,
    });
    return answerWrite(reply, result.index);
  };

  const tokenWrite = async (args: {
    params?: { accessor?: string };
    body: AclTokenRequest;
    request: unknown;
    reply: unknown;
  }) => {
    const { request, reply, token } = writeArgs(args);
    const result = await upsertAclToken(ctx, {
      token,
      // Create has no accessor in its path (ts-rest hands it empty params).
      pathAccessor:
        args.params?.accessor === undefined ? '' : tokenAccessorParam(args.params.accessor),
      body: args.body,
    });
    setIndex(reply, result.index);
    chooseSerializer(request, reply, true);
    return { status: 200 as const, body: result.token };
  };

  return s.router(aclContract, {
    bootstrap,
    bootstrapPut: bootstrap,

    policies: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await listAclPolicies(ctx, { token, prefix: args.query.prefix, blocking });
      return answerViews(request, reply, result, result.policies);
    },

    policySelf: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await listOwnAclPolicies(ctx, { token, prefix: args.query.prefix, blocking });
      return answerViews(request, reply, result, result.policies);
    },

    policyInfo: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const name = policyName(args.params);
      const result = await getAclPolicy(ctx, { token, name, blocking });
      if (!result.policy) return answerMissing(reply, result, ErrorText.AclPolicyNotFound);
      return answerViews(request, reply, result, result.policy);
    },

    policyUpsert,
    policyUpsertPut: policyUpsert,

    policyDelete: async (args) => {
      const { reply, token } = writeArgs(args);
      const result = await deleteAclPolicy(ctx, { token, name: policyName(args.params) });
      return answerWrite(reply, result.index);
    },

    tokens: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const { prefix, filter, perPage, nextToken, reverse } = pageOptions(args.query);
      const result = await listAclTokens(ctx, {
        token,
        prefix,
        filter,
        perPage,
        nextToken,
        reverse,
        blocking,
      });
      return answerViews(request, reply, result, result.tokens);
    },

    tokenCreate: tokenWrite,
    tokenCreatePut: tokenWrite,
    tokenUpdate: tokenWrite,
    tokenUpdatePut: tokenWrite,

    tokenInfo: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const accessor = tokenAccessorParam(args.params.accessor);
      const result = await getAclToken(ctx, { token, accessor, blocking });
      if (!result.token) return answerMissing(reply, result, ErrorText.ACLTokenNotFound);
      return answerViews(request, reply, result, result.token);
    },

    tokenSelf: (args) => {
      const { request, reply, token } = readArgs(args);
      const result = aclTokenSelf(ctx, token);
      setQueryMeta(reply, result.index);
      chooseSerializer(request, reply, true);
      return Promise.resolve({ status: 200 as const, body: result.token });
    },

    tokenDelete: async (args) => {
      const { reply, token } = writeArgs(args);
      const accessor = tokenAccessorParam(args.params.accessor);
      const result = await deleteAclToken(ctx, { token, accessor });
      return answerWrite(reply, result.index);
    },
  });
}
