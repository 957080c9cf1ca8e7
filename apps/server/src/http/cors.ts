// CORS as Nomad applies it to the /v1/client/allocation/ subtree only (rs/cors with origins `*`,
// methods GET and HEAD, any header, credentials allowed). A preflight never reaches a handler.
import type { FastifyInstance } from 'fastify';

const CLIENT_SUBTREE = '/v1/client/allocation/';
const SIMPLE_METHODS = new Set(['GET', 'HEAD']);

export function registerClientCors(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith(CLIENT_SUBTREE)) return done();
    const origin = request.headers.origin;
    const preflightMethod = request.headers['access-control-request-method'];
    if (request.method === 'OPTIONS' && typeof preflightMethod === 'string') {
      reply.header('vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
      if (origin && SIMPLE_METHODS.has(preflightMethod.toUpperCase())) {
        reply.header('access-control-allow-origin', '*');
        reply.header('access-control-allow-methods', preflightMethod.toUpperCase());
        const headers = request.headers['access-control-request-headers'];
        if (headers) reply.header('access-control-allow-headers', headers);
        reply.header('access-control-allow-credentials', 'true');
      }
      void reply.code(204).send();
      return;
    }
    reply.header('vary', 'Origin');
    if (origin && SIMPLE_METHODS.has(request.method)) {
      reply.header('access-control-allow-origin', '*');
      reply.header('access-control-allow-credentials', 'true');
    }
    done();
  });
}
