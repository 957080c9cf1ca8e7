// Mounts the contract's routers on the app. Requests that fail the contract's validation get the
// spec's text: the first problem found, in the order Nomad checks them.
import { contract } from '@berth/contract';
import { initServer, type RequestValidationError } from '@ts-rest/fastify';
import type { FastifyInstance } from 'fastify';
import type { EndpointContext } from '../../endpoints/context.js';
import { sendText } from '../errors.js';
import { allocationRoutes } from './allocations.js';

const s = initServer();

export function registerApiRoutes(app: FastifyInstance, ctx: EndpointContext): void {
  s.registerRouter(contract, { allocations: allocationRoutes(ctx) }, app, {
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
