// HTTP handlers of the allocation endpoints: read the request, call the endpoint, write the body
// and the X-Nomad-* headers. No state is touched here.
import { allocationsContract, ErrorText, requestToken } from '@berth/contract';
import { initServer } from '@ts-rest/fastify';
import type { EndpointContext } from '../../endpoints/context.js';
import { getAllocation } from '../../endpoints/allocations/get.js';
import { listAllocations } from '../../endpoints/allocations/list.js';
import { restartAllocation } from '../../endpoints/allocations/restart.js';
import { signalAllocation } from '../../endpoints/allocations/signal.js';
import { stopAllocation } from '../../endpoints/allocations/stop.js';
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
const routes = allocationsContract;

// Signal and restart answer `{}` (Nomad sends `{"Index":0}`; clients accept both).
const done = { status: 200 as const, body: {} };

export function allocationRoutes(ctx: EndpointContext) {
  const stop = async (args: RouteArgs<typeof routes.stop>) => {
    const { request, reply } = fastifyOf(args);
    const result = await stopAllocation(ctx, {
      token: requestToken(request.headers),
      allocID: args.params.allocID,
      noShutdownDelay: args.query.no_shutdown_delay ?? false,
      reschedule: args.query.reschedule ?? false,
    });
    setIndex(reply, result.index);
    return { status: 200 as const, body: { EvalID: result.evalID, Index: result.index } };
  };

  const signal = async (args: RouteArgs<typeof routes.signal>) => {
    const { request } = fastifyOf(args);
    await signalAllocation(ctx, {
      // As in Nomad, the body's AuthToken counts when no header carries a token.
      token: requestToken(request.headers) || args.body.AuthToken,
      allocID: args.params.allocID,
      task: args.body.Task,
      signal: args.body.Signal,
    });
    return done;
  };

  const restart = async (args: RouteArgs<typeof routes.restart>) => {
    const { request } = fastifyOf(args);
    await restartAllocation(ctx, {
      token: requestToken(request.headers),
      allocID: args.params.allocID,
      taskName: args.body.TaskName,
      allTasks: args.body.AllTasks,
    });
    return done;
  };

  return s.router(routes, {
    list: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const { query } = args;
      const result = await listAllocations(ctx, {
        token,
        namespace: query.namespace,
        ...pageOptions(query),
        // Either option given starts from {resources: false, task_states: true}.
        fields: { resources: query.resources ?? false, taskStates: query.task_states ?? true },
        blocking,
      });
      return answerViews(request, reply, result, result.stubs);
    },

    info: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await getAllocation(ctx, {
        token,
        allocID: args.params.allocID,
        blocking,
      });
      if (!result.alloc) return answerMissing(reply, result, ErrorText.AllocNotFound);
      return answerViews(request, reply, result, result.alloc);
    },

    stop,
    stopPut: stop,
    signal,
    signalPut: signal,
    restart,
    restartPut: restart,
  });
}
