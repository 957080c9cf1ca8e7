// `?pretty` (any value but 0) indents JSON answers by four spaces and ends them with a newline, as
// Nomad's HTTP agent does.
import type { FastifyInstance } from 'fastify';

const prettyJson = (payload: unknown) => `${JSON.stringify(payload, null, 4)}\n`;

export function registerPretty(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    const pretty = (request.query as Record<string, string | undefined>).pretty;
    if (pretty !== undefined && pretty !== '0') reply.serializer(prettyJson);
    done();
  });
}
