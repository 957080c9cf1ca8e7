// HTTP handlers of the evaluation endpoints: read the request, call the endpoint, write the body
// and the X-Nomad-* headers. No state is touched here.
import { ErrorText, evaluationsContract } from '@berth/contract';
import { initServer } from '@ts-rest/fastify';
import type { EndpointContext } from '../../endpoints/context.js';
import { evaluationAllocations } from '../../endpoints/evaluations/allocations.js';
import { getEvaluation } from '../../endpoints/evaluations/get.js';
import { listEvaluations } from '../../endpoints/evaluations/list.js';
import { answerMissing, answerViews, pageOptions, readArgs } from './route-args.js';

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
      return answerViews(request, reply, result, result.evaluations);
    },

    info: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await getEvaluation(ctx, {
        token,
        evalID: args.params.evalID,
        related: args.query.related,
        blocking,
      });
      if (!result.evaluation) return answerMissing(reply, result, ErrorText.EvalNotFound);
      return answerViews(request, reply, result, result.evaluation);
    },

    allocations: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await evaluationAllocations(ctx, {
        token,
        namespace: args.query.namespace,
        evalID: args.params.evalID,
        blocking,
      });
      return answerViews(request, reply, result, result.stubs);
    },
  });
}
