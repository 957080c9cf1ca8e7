// HTTP handlers of the node agent routes (register, heartbeat, client allocations): read the
// request, call the endpoint, write the body and the X-Nomad-* headers. No state is touched here.
import { nodeAgentContract, requestToken } from '@berth/contract';
import { initServer } from '@ts-rest/fastify';
import type { EndpointContext } from '../../endpoints/context.js';
import type { AgentNodeUpdateResult } from '../../endpoints/nodes/agent-register.js';
import { registerNodeFromAgent } from '../../endpoints/nodes/agent-register.js';
import { clientAllocations, updateClientAllocations } from '../../endpoints/nodes/client-allocs.js';
import { heartbeatNode } from '../../endpoints/nodes/heartbeat.js';
import { chooseSerializer } from '../json.js';
import { setIndex, setQueryMeta } from '../meta.js';
import { fastifyOf, readArgs } from './route-args.js';

const s = initServer();

/** Nomad's NodeUpdateResponse; the TTL travels as a Go duration (nanoseconds). */
function nodeUpdateBody(result: AgentNodeUpdateResult) {
  return {
    HeartbeatTTL: Math.round(result.heartbeatTTLMs * 1e6),
    EvalIDs: result.evalIDs,
    EvalCreateIndex: result.evalCreateIndex,
    NodeModifyIndex: result.nodeModifyIndex,
    Index: result.index,
  };
}

export function nodeAgentRoutes(ctx: EndpointContext) {
  return s.router(nodeAgentContract, {
    register: async (args) => {
      const { request, reply } = fastifyOf(args);
      const result = await registerNodeFromAgent(ctx, args.body, requestToken(request.headers));
      setIndex(reply, result.index);
      return { status: 200 as const, body: nodeUpdateBody(result) };
    },

    heartbeat: async (args) => {
      const { request, reply } = fastifyOf(args);
      const result = await heartbeatNode(ctx, {
        token: requestToken(request.headers),
        nodeID: args.params.nodeID,
        status: args.body.Status,
      });
      setIndex(reply, result.index);
      return { status: 200 as const, body: nodeUpdateBody(result) };
    },

    allocations: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await clientAllocations(ctx, { token, nodeID: args.params.nodeID, blocking });
      setQueryMeta(reply, result.index);
      chooseSerializer(request, reply, true);
      return { status: 200 as const, body: result.allocs };
    },

    updateAllocations: async (args) => {
      const { request, reply } = fastifyOf(args);
      const result = await updateClientAllocations(ctx, {
        token: requestToken(request.headers),
        nodeID: args.params.nodeID,
        allocs: args.body.Allocs,
      });
      setIndex(reply, result.index);
      return { status: 200 as const, body: { Index: result.index } };
    },
  });
}
