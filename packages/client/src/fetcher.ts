// The ts-rest fetcher: sends a request with a fetch-like function, decodes the answer (JSON or
// text), and turns any non-2xx answer into a BerthApiError.
import type { ApiFetcher } from '@ts-rest/core';
import { BerthApiError, BerthResponseValidationError } from './errors.js';

/**
 * A fetch-like function: the global `fetch`, or an adapter (e.g. to fastify's `app.inject()`, by
 * building a `Response` from the injected answer). Only `status`, `headers` and `text()` of the
 * answer are used.
 */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** The path of a URL, without the query string (for error reports). */
export function pathOf(url: string): string {
  const noQuery = url.split('?')[0] ?? url;
  try {
    return new URL(noQuery).pathname;
  } catch {
    return noQuery;
  }
}

/** Builds the ts-rest `api` fetcher over a fetch-like function. */
export function createFetcher(fetchFn: FetchLike): ApiFetcher {
  return async (args) => {
    const init: RequestInit = { method: args.method, headers: args.headers };
    if (typeof args.body === 'string') init.body = args.body;
    const signal = args.fetchOptions?.signal;
    if (signal) init.signal = signal;
    const res = await fetchFn(args.path, init);
    const text = await res.text();
    if (res.status < 200 || res.status >= 300) {
      throw new BerthApiError(res.status, text, args.method, pathOf(args.path));
    }
    const contentType = res.headers.get('content-type') ?? '';
    let body: unknown = text;
    if (contentType.includes('json') && text !== '') {
      try {
        body = JSON.parse(text);
      } catch (err) {
        throw new BerthResponseValidationError(args.method, pathOf(args.path), err);
      }
    }
    return { status: res.status, body, headers: res.headers };
  };
}
