// Responses are compressed as Nomad's gorilla CompressHandler does: `Vary: Accept-Encoding` on
// every answer, and gzip or deflate (whichever the client lists first) when it asks for one.
import { promisify } from 'node:util';
import { deflate, gzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

const compressors = { gzip: promisify(gzip), deflate: promisify(deflate) };

function chooseEncoding(header: string | undefined): 'gzip' | 'deflate' | undefined {
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (params.some((p) => p.trim() === 'q=0')) continue;
    if (name === 'gzip' || name === 'deflate') return name;
  }
  return undefined;
}

export function registerCompression(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const vary = reply.getHeader('vary');
    reply.header('vary', vary ? `${String(vary)}, Accept-Encoding` : 'Accept-Encoding');
    const encoding = chooseEncoding(request.headers['accept-encoding']);
    if (!encoding || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return payload;
    reply.header('content-encoding', encoding);
    reply.removeHeader('content-length');
    return compressors[encoding](payload);
  });
}
