// The agent's calls to the servers travel over connections it owns (node:http with an agent of
// its own, as ts-rest's fetcher), so that stopping it closes every one of them. Node's fetch
// shares one pool per process and keeps its sockets: a call aborted while queued behind another
// can leave a connection opened for it that never carries a request, and a server being closed
// waits for such a connection until its headers timeout (60 s or more).
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ApiFetcher } from '@ts-rest/core';

export interface OwnedConnections {
  /** A ts-rest fetcher (the client's `api`) over these connections. */
  api: ApiFetcher;
  /** Ends every connection, those with a call under way included; later calls fail at once. */
  close(): void;
}

export function ownedConnections(): OwnedConnections {
  const http = new HttpAgent({ keepAlive: true });
  const https = new HttpsAgent({ keepAlive: true });
  let closed = false;

  const api: ApiFetcher = ({ path, method, headers, body, fetchOptions }) => {
    if (closed)
      return Promise.reject(new Error('the agent is stopping: its connections are closed'));
    // The node agent's routes send JSON or nothing; ts-rest has already serialised it.
    if (body !== null && body !== undefined && typeof body !== 'string') {
      return Promise.reject(new Error(`${method} ${path}: only a JSON body can be sent`));
    }
    const url = new URL(path);
    const secure = url.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;
    const length = body === null || body === undefined ? 0 : Buffer.byteLength(body);
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          method,
          headers: { ...headers, 'content-length': String(length) },
          agent: secure ? https : http,
          signal: fetchOptions?.signal ?? undefined,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('close', () => {
            if (!res.complete) reject(new Error(`${method} ${path}: the answer was cut short`));
          });
          res.on('end', () => {
            try {
              resolve(answerOf(res, Buffer.concat(chunks).toString('utf8')));
            } catch (error) {
              reject(new Error(`${method} ${path}: unreadable answer`, { cause: error }));
            }
          });
        },
      );
      req.on('error', reject);
      req.end(body ?? undefined);
    });
  };

  return {
    api,
    close() {
      closed = true;
      http.destroy();
      https.destroy();
    },
  };
}

/** The answer as ts-rest's own fetcher gives it: JSON parsed, anything else as text. */
function answerOf(
  res: IncomingMessage,
  text: string,
): { status: number; body: unknown; headers: Headers } {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const type = headers.get('content-type') ?? '';
  const json = type.includes('application/') && type.includes('json');
  return {
    status: res.statusCode ?? 0,
    body: json ? (JSON.parse(text) as unknown) : text,
    headers,
  };
}
