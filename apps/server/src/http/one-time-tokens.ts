// Nomad's one-time token paths (`nomad ui -authenticate`: /v1/acl/token/onetime and
// /v1/acl/token/onetime/exchange), which berth does not serve. Left alone, the first would be
// read by the token routes as the accessor `onetime`. The methods Nomad takes there (POST, PUT)
// answer 404 with a text that names the missing feature: Nomad's Go client and CLI show any
// error as `Unexpected response code: 404 (<text>)`, and a 404 says the server has no such
// resource, where a 405 would tell the caller to change a method that is right, and a 5xx (Nomad
// CE's 501 for enterprise-only paths) would read as a server fault. Other methods answer 405, as
// Nomad's handlers refuse them.
import { ACL_ONE_TIME_TOKEN_METHODS, ACL_ONE_TIME_TOKEN_PATHS, ErrorText } from '@berth/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendText } from './errors.js';

const nomadMethods = new Set<string>(ACL_ONE_TIME_TOKEN_METHODS);

function answer(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return nomadMethods.has(request.method)
    ? sendText(reply, 404, ErrorText.OneTimeTokensUnsupported)
    : sendText(reply, 405, ErrorText.InvalidMethod);
}

/** Registers the one-time token paths for every method the app routes (after any it adds). */
export function registerOneTimeTokenPaths(app: FastifyInstance): void {
  for (const url of ACL_ONE_TIME_TOKEN_PATHS) {
    app.route({
      method: app.supportedMethods,
      url,
      // Answered in onRequest: no body is read or checked (nothing here would use it).
      onRequest: (request, reply) => {
        void answer(request, reply);
      },
      handler: answer,
    });
  }
}
