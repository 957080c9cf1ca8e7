// `?pretty` applies to every JSON success, including those of handlers that choose no serializer,
// and to nothing else: an error's text is written raw (Nomad pretty-prints only what it encodes).
import type { FastifyInstance } from 'fastify';
import { jsonSerializer } from './json.js';

export function registerPretty(app: FastifyInstance): void {
  // preSerialization runs only for a value fastify is about to encode as JSON, so the serializer
  // chosen here never sees a text body (an error message, an empty write answer).
  app.addHook('preSerialization', (request, reply, payload, done) => {
    const serializer = jsonSerializer(request, reply);
    if (serializer) reply.serializer(serializer);
    done(null, payload);
  });
}
