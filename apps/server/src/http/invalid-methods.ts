// A path of the API answers every method it does not take with 405 `Invalid method`, as Nomad's
// handlers do (without an Allow header), including methods fastify does not route by default
// (PROPFIND, QUERY, ...), before any body is read.
import { METHODS as NODE_METHODS } from 'node:http';
import { contract, ErrorText } from '@berth/contract';
import { isAppRoute, type AppRoute, type AppRouter } from '@ts-rest/core';
import type { FastifyInstance } from 'fastify';
import { sendText } from './errors.js';

function routesOf(router: AppRouter): AppRoute[] {
  return Object.values(router).flatMap((entry) => (isAppRoute(entry) ? [entry] : routesOf(entry)));
}

export function registerInvalidMethods(app: FastifyInstance): void {
  // CONNECT never reaches the router (Node hands it to the server's 'connect' listener).
  for (const method of NODE_METHODS) {
    if (method !== 'CONNECT' && !app.supportedMethods.includes(method)) {
      app.addHttpMethod(method, { hasBody: true });
    }
  }
  const taken = new Map<string, Set<string>>();
  for (const route of routesOf(contract)) {
    const methods = taken.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    taken.set(route.path, methods);
  }
  for (const [path, methods] of taken) {
    app.route({
      method: app.supportedMethods.filter((m) => !methods.has(m)),
      url: path,
      // Answered in onRequest: no body is read or checked (no 413 or 415 for a wrong method).
      onRequest: (_request, reply) => {
        void sendText(reply, 405, ErrorText.InvalidMethod);
      },
      handler: (_request, reply) => sendText(reply, 405, ErrorText.InvalidMethod),
    });
  }
}
