// HTTP handlers of the node endpoints (read side): read the request, call the endpoint, write the
// body and the X-Nomad-* headers. No state is touched here.
import { ErrorText, nodesContract } from '@berth/contract';
import { initServer } from '@ts-rest/fastify';
import type { EndpointContext } from '../../endpoints/context.js';
import { nodeAllocations } from '../../endpoints/nodes/allocations.js';
import { getNode } from '../../endpoints/nodes/get.js';
import { listNodes } from '../../endpoints/nodes/list.js';
import { answerMissing, answerViews, pageOptions, readArgs } from './route-args.js';

const s = initServer();

export function nodeRoutes(ctx: EndpointContext) {
  return s.router(nodesContract, {
    list: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const { query } = args;
      const result = await listNodes(ctx, {
        token,
        ...pageOptions(query),
        fields: { resources: query.resources ?? false, os: query.os ?? false },
        blocking,
      });
      return answerViews(request, reply, result, result.stubs);
    },

    info: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await getNode(ctx, {
        token,
        nodeID: args.params.nodeID,
        blocking,
      });
      if (!result.node) return answerMissing(reply, result, ErrorText.NodeNotFound);
      return answerViews(request, reply, result, result.node);
    },

    allocations: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await nodeAllocations(ctx, {
        token,
        nodeID: args.params.nodeID,
        blocking,
      });
      return answerViews(request, reply, result, result.allocs);
    },
  });
}
