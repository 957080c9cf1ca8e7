// Mounts the contract's routers on the app. Requests that fail the contract's validation get the
// spec's text: the first problem found, in the order Nomad checks them.
import { contract } from '@berth/contract';
import {
  initServer,
  type RequestValidationError,
  type RouterImplementation,
} from '@ts-rest/fastify';
import type { FastifyInstance } from 'fastify';
import type { EndpointContext } from '../../endpoints/context.js';
import { sendText } from '../errors.js';
import { aclRoutes } from './acl.js';
import { agentRoutes, regionRoutes, statusRoutes } from './agent.js';
import { allocationRoutes } from './allocations.js';
import { clientFsRoutes } from './client-fs.js';
import { clientStatsRoutes } from './client-stats.js';
import { deploymentRoutes } from './deployments.js';
import { evaluationRoutes } from './evaluations.js';
import { jobRoutes } from './jobs.js';
import { namespaceRoutes } from './namespaces.js';
import { nodeAgentRoutes } from './node-agent.js';
import { nodeRoutes } from './nodes.js';

const s = initServer();

export function registerApiRoutes(app: FastifyInstance, ctx: EndpointContext): void {
  // A router not written yet is not mounted: its paths answer 404 (405 for other methods).
  const routers: Partial<RouterImplementation<typeof contract>> = {
    allocations: allocationRoutes(ctx),
    jobs: jobRoutes(ctx),
    evaluations: evaluationRoutes(ctx),
    deployments: deploymentRoutes(ctx),
    nodes: nodeRoutes(ctx),
    namespaces: namespaceRoutes(ctx),
    nodeAgent: nodeAgentRoutes(ctx),
    acl: aclRoutes(ctx),
    status: statusRoutes(ctx),
    regions: regionRoutes(ctx),
    agent: agentRoutes(ctx),
    clientStats: clientStatsRoutes(ctx),
    clientFS: clientFsRoutes(ctx),
  };
  s.registerRouter(contract, routers as RouterImplementation<typeof contract>, app, {
    logInitialization: false,
    responseValidation: false,
    requestValidationErrorHandler: (error: RequestValidationError, _request, reply) => {
      void sendText(reply, 400, validationMessage(error));
    },
  });
}

function validationMessage(error: RequestValidationError): string {
  const query = error.query?.issues[0];
  if (query) return query.message;
  const body = error.body?.issues[0];
  // Body issues already read `Failed to decode body: ...`, as Nomad words them.
  if (body) return body.message;
  return (error.pathParams ?? error.headers)?.issues[0]?.message ?? 'Invalid request';
}
