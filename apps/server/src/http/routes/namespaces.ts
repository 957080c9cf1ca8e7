// HTTP handlers of the namespace endpoints: read the request, call the endpoint, write the body
// and the X-Nomad-* headers. No state is touched here.
import {
  ErrorText,
  namespacesContract,
  type NamespaceRegisterRequest,
  requestToken,
} from '@berth/contract';
import { initServer } from '@ts-rest/fastify';
import type { FastifyReply } from 'fastify';
import type { EndpointContext } from '../../endpoints/context.js';
import { deleteNamespace } from '../../endpoints/namespaces/delete.js';
import { getNamespace } from '../../endpoints/namespaces/get.js';
import { listNamespaces } from '../../endpoints/namespaces/list.js';
import { upsertNamespace } from '../../endpoints/namespaces/upsert.js';
import { setIndex } from '../meta.js';
import { answerMissing, answerViews, fastifyOf, readArgs } from './route-args.js';

const s = initServer();

/** A write's answer, as Nomad's: an empty body, the write's index in `X-Nomad-Index`. */
function answerWrite(reply: FastifyReply, index: number) {
  setIndex(reply, index);
  return { status: 200 as const, body: '' };
}

export function namespaceRoutes(ctx: EndpointContext) {
  const register = async (args: {
    params?: { name: string };
    body: NamespaceRegisterRequest;
    request: unknown;
    reply: unknown;
  }) => {
    const { request, reply } = fastifyOf(args);
    const result = await upsertNamespace(ctx, {
      token: requestToken(request.headers),
      pathName: args.params?.name ?? '',
      namespace: args.body,
    });
    return answerWrite(reply, result.index);
  };

  return s.router(namespacesContract, {
    list: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await listNamespaces(ctx, { token, prefix: args.query.prefix, blocking });
      return answerViews(request, reply, result, result.namespaces);
    },

    info: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await getNamespace(ctx, { token, name: args.params.name, blocking });
      if (!result.namespace) return answerMissing(reply, result, ErrorText.NamespaceNotFound);
      return answerViews(request, reply, result, result.namespace);
    },

    register,
    registerPut: register,
    create: register,
    createPut: register,

    delete: async (args) => {
      const { request, reply } = fastifyOf(args);
      const result = await deleteNamespace(ctx, {
        token: requestToken(request.headers),
        name: args.params.name,
      });
      return answerWrite(reply, result.index);
    },
  });
}
