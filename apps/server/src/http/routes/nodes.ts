// HTTP handlers of the node endpoints: read the request, call the endpoint, write the body and
// the X-Nomad-* headers. No state is touched here.
import { ErrorText, nodesContract, requestToken } from '@berth/contract';
import { initServer } from '@ts-rest/fastify';
import type { EndpointContext } from '../../endpoints/context.js';
import { nodeAllocations } from '../../endpoints/nodes/allocations.js';
import { updateNodeDrain } from '../../endpoints/nodes/drain.js';
import { updateNodeEligibility } from '../../endpoints/nodes/eligibility.js';
import { getNode } from '../../endpoints/nodes/get.js';
import { listNodes } from '../../endpoints/nodes/list.js';
import type { NodeUpdateResult } from '../../endpoints/nodes/update-status.js';
import { setIndex } from '../meta.js';
import {
  answerMissing,
  answerViews,
  fastifyOf,
  pageOptions,
  readArgs,
  type RouteArgs,
} from './route-args.js';

const s = initServer();
type Routes = typeof nodesContract;

/** Nomad's NodeDrainUpdateResponse / NodeEligibilityUpdateResponse. */
function updateBody(result: NodeUpdateResult) {
  return {
    EvalIDs: result.evalIDs.length > 0 ? result.evalIDs : null,
    EvalCreateIndex: result.evalCreateIndex,
    NodeModifyIndex: result.nodeModifyIndex,
    Index: result.index,
  };
}

export function nodeRoutes(ctx: EndpointContext) {
  const updateDrain = async (args: RouteArgs<Routes['updateDrain']>) => {
    const { request, reply } = fastifyOf(args);
    const result = await updateNodeDrain(ctx, {
      token: requestToken(request.headers),
      // The path names the node; the body's NodeID is ignored, as in Nomad.
      nodeID: args.params.nodeID,
      drainSpec: args.body.DrainSpec,
      markEligible: args.body.MarkEligible,
      meta: args.body.Meta,
    });
    setIndex(reply, result.index);
    return { status: 200 as const, body: updateBody(result) };
  };

  const toggleEligibility = async (args: RouteArgs<Routes['toggleEligibility']>) => {
    const { request, reply } = fastifyOf(args);
    const result = await updateNodeEligibility(ctx, {
      token: requestToken(request.headers),
      // As in Nomad, a NodeID in the body wins over the path's.
      nodeID: args.body.NodeID || args.params.nodeID,
      eligibility: args.body.Eligibility,
    });
    setIndex(reply, result.index);
    return { status: 200 as const, body: updateBody(result) };
  };

  return s.router(nodesContract, {
    updateDrain,
    updateDrainPut: updateDrain,
    toggleEligibility,
    toggleEligibilityPut: toggleEligibility,

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
