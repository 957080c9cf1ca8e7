// One JSON request over node:http on a fresh connection, for tests whose server may be killed at
// any moment: a socket error rejects, an answer resolves whatever its status.
import http from 'node:http';

/** An answer: status, `X-Nomad-Index` (0 when absent) and the body, parsed when it is JSON. */
export interface JsonAnswer {
  status: number;
  index: number;
  body: unknown;
  text: string;
}

export function requestJson(
  address: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; timeoutMs?: number } = {},
): Promise<JsonAnswer> {
  const url = new URL(path, address);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent: false,
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...(options.token === undefined ? {} : { 'x-nomad-token': options.token }),
        },
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          if (res.headers['content-type']?.includes('json')) body = JSON.parse(text);
          resolve({
            status: res.statusCode ?? 0,
            index: Number(res.headers['x-nomad-index'] ?? 0),
            body,
            text,
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in time`)));
    req.on('error', reject);
    req.end(payload);
  });
}
