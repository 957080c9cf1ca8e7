// Responses are compressed as Nomad's gorilla CompressHandler does: `Vary: Accept-Encoding` on
// every answer, and gzip or deflate (whichever the client lists first) when it asks for one.
import { Readable, pipeline } from 'node:stream';
import { promisify } from 'node:util';
import { createDeflate, createGzip, deflate, gzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

const compressors = { gzip: promisify(gzip), deflate: promisify(deflate) };
const streamCompressors = { gzip: createGzip, deflate: createDeflate };

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
    if (!encoding) return payload;
    if (payload instanceof Readable) {
      reply.header('content-encoding', encoding);
      reply.removeHeader('content-length');
      // A large body streams through zlib (its work runs off the event loop, a chunk at a time).
      // An error of either stream destroys the other; fastify sees it on the compressed stream,
      // logs it and destroys the connection, so there is nothing more to do with it here.
      return pipeline(payload, streamCompressors[encoding](), () => {});
    }
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    reply.header('content-encoding', encoding);
    reply.removeHeader('content-length');
    return compressors[encoding](payload);
  });
}
