// A fake server for tests: records each request the client sends and answers with `reply`.
import type { FetchLike } from '../fetcher.js';

/** One request as the fake server saw it. */
export interface Sent {
  url: URL;
  method: string;
  headers: Headers;
  body: string | undefined;
}

/** A fetch that records requests and answers with `reply`. */
export function fakeFetch(reply: (req: Sent) => Response) {
  const sent: Sent[] = [];
  const fetch: FetchLike = (url, init) => {
    const req: Sent = {
      url: new URL(url),
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? init.body : undefined,
    };
    sent.push(req);
    return Promise.resolve(reply(req));
  };
  return { fetch, sent };
}

/** A 200 JSON answer. */
export const json = (body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

/** An error answer with a text body, as Nomad sends errors. */
export const text = (status: number, body: string) =>
  new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
