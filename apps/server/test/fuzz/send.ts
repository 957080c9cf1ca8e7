// Sends one fuzzed request with node:http, byte for byte (fetch would normalise the path), and
// says how it ended: answered (status, content type, body), reset, or hung past the bound.
import http from 'node:http';
import type { FuzzRequest } from './generators.js';

/** How one request ended. */
export interface FuzzOutcome {
  /** The answer's status; absent when none came. */
  status?: number;
  contentType?: string;
  /** The first 300 characters of the answer's body. */
  body: string;
  /** The first {@link HEAD_BYTES} bytes of the answer's body, for checks of what it holds. */
  head: string;
  /** The socket error when no answer came (a reset). */
  error?: string;
  /** No complete answer within the bound. */
  hung: boolean;
  ms: number;
}

/** How much of an answer is kept for checks (a token or a page of stubs fits). */
export const HEAD_BYTES = 64 * 1024;

/** The longest a request may take before it counts as hung (the bound). */
export const HANG_MS = 1000;

/** Sends `req` to `host:port`; resolves (never rejects) once it is answered, reset or hung. */
export function send(
  target: { host: string; port: number; agent?: http.Agent },
  req: FuzzRequest,
  hangMs = HANG_MS,
): Promise<FuzzOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    let status: number | undefined;
    let contentType: string | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (extra: Partial<FuzzOutcome>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const received = Buffer.concat(chunks);
      resolve({
        status,
        contentType,
        body: received.toString('utf8', 0, 300),
        head: received.toString('utf8', 0, HEAD_BYTES),
        hung: false,
        ms: performance.now() - started,
        ...extra,
      });
    };
    let request: http.ClientRequest;
    try {
      request = http.request(
        {
          host: target.host,
          port: target.port,
          method: req.method,
          path: req.path,
          headers: {
            ...req.headers,
            ...(req.body === undefined ? {} : { 'content-length': String(req.body.length) }),
          },
          agent: target.agent ?? false,
        },
        (res) => {
          status = res.statusCode;
          contentType = res.headers['content-type'];
          res.on('data', (chunk: Buffer) => {
            // Keep only the start: bodies are for reports and checks.
            if (size < HEAD_BYTES) chunks.push(chunk);
            size += chunk.length;
          });
          res.on('end', () => finish({}));
          res.on('error', (error) => finish({ error: `response: ${error.message}` }));
        },
      );
    } catch (error) {
      // node:http refused to send it (a header value it cannot carry): a defect of the generator.
      if (!(error instanceof TypeError)) throw error;
      status = 0;
      const body = `unsendable: ${error.message}`;
      resolve({ status, body, head: body, hung: false, ms: 0 });
      return;
    }
    const timer = setTimeout(() => {
      finish({ hung: true });
      request.destroy();
    }, hangMs);
    request.on('error', (error: NodeJS.ErrnoException) => {
      // An error after the whole answer arrived (the server closing early on a refused body) is
      // no reset: the client got its answer.
      finish({ error: `${error.code ?? ''} ${error.message}`.trim() });
    });
    if (req.body !== undefined) request.end(req.body);
    else request.end();
  });
}

/** A JSON string literal (what an error body must not be), optionally ending in a newline. */
const JSON_STRING = /^"(?:[^"\\]|\\.)*"\n?$/s;

/**
 * What is wrong with an outcome, or undefined when nothing is: `<kind>: <detail>`, the kind
 * (`hang`, `reset`, `5xx`, ...) naming the rule broken, so that reports can group by it.
 */
export function problemOf(outcome: FuzzOutcome): string | undefined {
  if (outcome.status === 0) {
    return `unsendable: the fuzzer made a request node:http cannot send: ${outcome.body}`;
  }
  if (outcome.hung) return `hang: no answer within ${HANG_MS} ms`;
  if (outcome.status === undefined) return `reset: ${outcome.error ?? 'no answer'}`;
  if (outcome.status >= 500) return `5xx: ${outcome.status} ${outcome.body}`;
  if (outcome.error !== undefined && outcome.status >= 200 && outcome.status < 300) {
    return `cut off: answer cut off: ${outcome.error}`;
  }
  if (outcome.status < 400 || outcome.body === '') return undefined;
  // Every error body is the message alone as text/plain (an unregistered path answers empty).
  if (!outcome.contentType?.startsWith('text/plain')) {
    return `not text/plain: ${outcome.status} answered as ${outcome.contentType ?? 'no content type'}: ${outcome.body}`;
  }
  // ... and never JSON: Nomad writes an error's message raw, `?pretty` or not.
  if (JSON_STRING.test(outcome.body)) {
    return `JSON-encoded error: ${outcome.status} answered ${JSON.stringify(outcome.body)}, not the message alone`;
  }
  return undefined;
}

/** The kind of a problem from {@link problemOf} (the text before its first colon). */
export function problemKind(problem: string): string {
  const colon = problem.indexOf(':');
  return colon < 0 ? problem : problem.slice(0, colon);
}
