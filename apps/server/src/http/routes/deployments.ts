// HTTP handlers of the deployment endpoints (Nomad's command/agent/deployment_endpoint.go): read
// the request, call the endpoint, write the body and the X-Nomad-* headers.
import { deploymentsContract, ErrorText } from '@berth/contract';
import { initServer } from '@ts-rest/fastify';
import type { EndpointContext } from '../../endpoints/context.js';
import { getDeployment } from '../../endpoints/deployments/get.js';
import { listDeployments } from '../../endpoints/deployments/list.js';
import { answerMissing, answerViews, readArgs } from './route-args.js';

const s = initServer();

export function deploymentRoutes(ctx: EndpointContext) {
  return s.router(deploymentsContract, {
    list: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await listDeployments(ctx, {
        token,
        namespace: args.query.namespace,
        filter: args.query.filter,
        blocking,
      });
      return answerViews(request, reply, result, result.deployments);
    },

    info: async (args) => {
      const { request, reply, token, blocking } = readArgs(args);
      const result = await getDeployment(ctx, {
        token,
        namespace: args.query.namespace,
        deploymentID: args.params.deploymentID,
        blocking,
      });
      if (!result.deployment) return answerMissing(reply, result, ErrorText.DeploymentNotFound);
      return answerViews(request, reply, result, result.deployment);
    },
  });
}
