// The blocking part of a read's query string, and the caller's disconnect as an abort signal so a
// waiting query stops when nobody is left to answer.
import type { FastifyReply } from 'fastify';
import type { BlockingOptions } from '../../blocking/blocking-query.js';

const CALLER_GONE = new Error('caller gone');

export function blockingOptions(
  query: { index?: number; wait?: number },
  reply: FastifyReply,
): BlockingOptions {
  const minIndex = query.index ?? 0;
  if (minIndex <= 0) return { minIndex };
  const gone = new AbortController();
  // The response closes when it is sent or when the caller hangs up. A fixed reason spares
  // building a DOMException (with its stack) for every blocking request that ends.
  reply.raw.once('close', () => gone.abort(CALLER_GONE));
  return { minIndex, waitMs: query.wait, signal: gone.signal };
}
