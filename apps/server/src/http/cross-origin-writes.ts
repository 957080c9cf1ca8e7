// Drive-by protection. A browser sends a cross-origin "simple" request (a POST with
// `Content-Type: text/plain`, a form) without asking first, so any page an operator opens could
// register jobs through 127.0.0.1:4646. Browsers name the page in `Origin`: a write carrying an
// Origin that is neither this server's own address nor an allowed origin is refused before any
// handler runs. Requests without Origin (curl, Nomad's Go clients, node agents) are not affected,
// and reads keep the CORS of `cors.ts`.
import { ErrorText } from '@berth/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sendText } from './errors.js';

/** Methods that never change anything (a preflight is an OPTIONS). */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * `scheme://host[:port]` (default port left out) of an http(s) origin, or `undefined` when `text`
 * is anything else: `null`, another scheme, or a URL with a path, query or credentials.
 */
function originOf(text: string): string | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !bare) return undefined;
  return url.origin;
}

/** The allowed origins in canonical form; anything but `scheme://host[:port]` is a mistake. */
export function canonicalOrigins(allowed: readonly string[]): Set<string> {
  return new Set(
    allowed.map((text) => {
      const origin = originOf(text);
      if (origin === undefined) {
        throw new Error(
          `Invalid allowed origin ${JSON.stringify(text)}: expected scheme://host[:port]`,
        );
      }
      return origin;
    }),
  );
}

/**
 * Whether `origin` is this server as the client reached it: the `Host` it sent, over http or https
 * (a proxy may terminate TLS), or an address the server listens on.
 */
function isOwnOrigin(app: FastifyInstance, request: FastifyRequest, origin: string): boolean {
  const host = request.headers.host;
  if (host !== undefined && host !== '') {
    if (origin === originOf(`http://${host}`) || origin === originOf(`https://${host}`))
      return true;
  }
  return app.addresses().some((a) => {
    // A Unix socket has no origin a browser could send.
    if (typeof a === 'string') return false;
    const address = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return origin === originOf(`http://${address}:${a.port}`);
  });
}

export function registerCrossOriginWriteCheck(
  app: FastifyInstance,
  allowedOrigins: readonly string[] = [],
): void {
  const allowed = canonicalOrigins(allowedOrigins);
  app.addHook('onRequest', (request, reply, done) => {
    const sent = request.headers.origin;
    if (sent === undefined || READ_METHODS.has(request.method)) return done();
    // `Origin: null` (a sandboxed frame, a file: page, a redirect) and anything unreadable are
    // foreign by definition.
    const origin = originOf(sent);
    if (origin !== undefined && (allowed.has(origin) || isOwnOrigin(app, request, origin))) {
      return done();
    }
    request.log.warn(
      { origin: sent },
      'refused a write from a foreign Origin (allow it with --allowed-origin)',
    );
    void sendText(reply, 403, ErrorText.PermissionDenied);
  });
}
