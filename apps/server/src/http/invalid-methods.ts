// A path of the API answers every method it does not take with 405 `Invalid method`, as Nomad's
// handlers do (without an Allow header).
import { contract, ErrorText } from '@berth/contract';
import { isAppRoute, type AppRoute, type AppRouter } from '@ts-rest/core';
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { sendText } from './errors.js';

const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

function routesOf(router: AppRouter): AppRoute[] {
  return Object.values(router).flatMap((entry) => (isAppRoute(entry) ? [entry] : routesOf(entry)));
}

export function registerInvalidMethods(app: FastifyInstance): void {
  const taken = new Map<string, Set<string>>();
  for (const route of routesOf(contract)) {
    const methods = taken.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    taken.set(route.path, methods);
  }
  for (const [path, methods] of taken) {
    app.route({
      method: METHODS.filter((m) => !methods.has(m)),
      url: path,
      handler: (_request, reply) => sendText(reply, 405, ErrorText.InvalidMethod),
    });
  }
}
