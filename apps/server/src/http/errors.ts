// How failures become answers. Every error body is the message alone as text/plain, as Nomad's
// HTTP agent writes it. A client's mistake is always a 4xx; anything unexpected is logged with
// the request id and answered `internal error` with no internals.
import { ERROR_CONTENT_TYPE, ErrorText } from '@berth/contract';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EndpointError } from '../endpoints/endpoint-error.js';
import { frameworkErrorAnswer } from './framework-errors.js';

/**
 * Answers `status` with `message` as Nomad does: text/plain, the message alone, `?pretty` or not.
 * Sent as bytes: fastify passes a string to any serializer already chosen for the reply (the
 * pretty one, when a success failed to encode), a Buffer never.
 */
export function sendText(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type(ERROR_CONTENT_TYPE).send(Buffer.from(message));
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | EndpointError, request, reply) => {
    if (error instanceof EndpointError) return sendText(reply, error.status, error.message);
    const framework = frameworkErrorAnswer(error, request);
    if (framework) return sendText(reply, framework.status, framework.message);
    const status = 'statusCode' in error ? error.statusCode : undefined;
    if (status !== undefined && status >= 400 && status < 500) {
      return sendText(reply, status, error.message);
    }
    request.log.error({ err: error }, 'internal error');
    return sendText(reply, 500, `${ErrorText.InternalError} (request id ${request.id})`);
  });

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '';
    // As Go's ServeMux: the bare subtree name redirects to the subtree, `/` to the UI.
    if (path === '/v1/allocation' || path === '/v1/client/allocation') {
      return reply.redirect(`${path}/${query(request.url)}`, 301);
    }
    if (path === '/') return reply.redirect(`/ui/${query(request.url)}`, 307);
    // A bad sub-path of a known resource says so; any other path is an empty 404.
    if (path.startsWith('/v1/allocation/') || path.startsWith('/v1/client/allocation/')) {
      return sendText(reply, 404, ErrorText.ResourceNotFound);
    }
    return reply.code(404).send();
  });
}

function query(url: string): string {
  const at = url.indexOf('?');
  return at === -1 ? '' : url.slice(at);
}
