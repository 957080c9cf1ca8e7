// `?pretty` applies to every JSON answer, including those of handlers that choose no serializer.
import type { FastifyInstance } from 'fastify';
import { chooseSerializer } from './json.js';

export function registerPretty(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    chooseSerializer(request, reply, false);
    done();
  });
}
