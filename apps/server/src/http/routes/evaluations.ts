// HTTP handlers of the evaluation endpoints: read the request, call the endpoint, write the body
// and the X-Nomad-* headers. No state is touched here.
import { ErrorText, evaluationsContract } from '@berth/contract';
import { initServer } from '@ts-rest/fastify';
import type { EndpointContext } from '../../endpoints/context.js';
import { evaluationAllocations } from '../../endpoints/evaluations/allocations.js';
import { getEvaluation } from '../../endpoints/evaluations/get.js';
import { listEvaluations } from '../../endpoints/evaluations/list.js';
import { chooseSerializer } from '../json.js';
import { setQueryMeta } from '../meta.js';
import { pageOptions, readArgs } from './route-args.js';

const s = initServer();

export function evaluationRoutes(ctx: EndpointContext) {
  return s.router(evaluationsContract, {
    list: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const { query } = args;
      const result = await listEvaluations(ctx, {
        token,
        namespace: query.namespace,
        ...pageOptions(query),
        job: query.job,
        status: query.status,
        blocking,
      });
      setQueryMeta(reply, result.index, result.nextToken);
      chooseSerializer(request, reply, true);
      return { status: 200 as const, body: result.evaluations };
    },

    info: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await getEvaluation(ctx, {
        token,
        evalID: args.params.evalID,
        related: args.query.related,
        blocking,
      });
      setQueryMeta(reply, result.index);
      if (!result.evaluation) return { status: 404 as const, body: ErrorText.EvalNotFound };
      chooseSerializer(request, reply, true);
      return { status: 200 as const, body: result.evaluation };
    },

    allocations: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await evaluationAllocations(ctx, {
        token,
        namespace: args.query.namespace,
        evalID: args.params.evalID,
        blocking,
      });
      setQueryMeta(reply, result.index);
      chooseSerializer(request, reply, true);
      return { status: 200 as const, body: result.stubs };
    },
  });
}
