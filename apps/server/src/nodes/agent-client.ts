// A server's calls to a node agent, made with a ts-rest client of a contract router the agent
// serves (Nomad's servers forward client RPCs over the node's connection; berth calls the agent's
// HTTP API on the node's HTTPAddr). Path, method, query and body come from the contract route; the
// node's SecretID is the token; the agent's answer is the caller's: a 2xx body (checked against
// the route's schema), or its error status and text. A node that cannot be reached is Nomad's
// `404 No path to node`, its cause logged and kept.
import { errorResponses, ErrorText, type Node } from '@berth/contract';
import {
  initClient,
  ResponseValidationError,
  validateResponse,
  type ApiFetcher,
  type AppRouter,
} from '@ts-rest/core';
import http from 'node:http';
import https from 'node:https';
import { EndpointError, notFound } from '../endpoints/endpoint-error.js';
import { nodeSecret } from '../endpoints/nodes/node-auth.js';

/** How long a call to an agent may take, and where failures to reach one are reported. */
export interface AgentClientOptions {
  /** Longest wait for the connection to the agent (default 5 s). */
  connectTimeoutMs?: number;
  /**
   * Longest wait for the agent's whole answer (default 5 min): a restart answers only once the
   * old process has exited (after the task's KillTimeout at worst) and the new one started.
   */
  timeoutMs?: number;
  /** Where a failure to reach an agent is reported, with its cause (default: stderr). */
  log?: (message: string, cause: Error) => void;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const DEFAULT_TIMEOUT_MS = 300_000;

type ErrorStatus = EndpointError['status'];
/** The error statuses of the contract, passed through as the agent answered them. */
const PASSED_THROUGH = new Set(Object.keys(errorResponses).map(Number));

/** An agent that could not be reached, or did not answer in time; `cause` says why. */
class AgentUnreachable extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

/** An agent's 2xx answer that is not the route's: broken JSON, or not its schema. */
class AgentAnswerInvalid extends Error {}

/**
 * Nomad's answer when no server can reach the node; `cause` (a socket error, a timeout) is kept
 * for logs and callers, though the answer's text stays the spec's.
 */
function noPath(cause?: Error): EndpointError {
  const error = notFound(ErrorText.NoPathToNode);
  if (cause !== undefined) error.cause = cause;
  return error;
}

/** The agent's origin from the node's `HTTPAddr` (`host:port`, or a full URL); any path is dropped. */
export function agentOrigin(node: Node): string | undefined {
  const addr = node.HTTPAddr.trim();
  if (addr === '') return undefined;
  try {
    const url = new URL(/^[a-z]+:\/\//i.test(addr) ? addr : `http://${addr}`);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** The ts-rest client of `router` that {@link AgentClients.call} hands its callback. */
export type AgentClient<R extends AppRouter> = ReturnType<typeof clientOf<R>>;

function clientOf<R extends AppRouter>(router: R, baseUrl: string, token: string, api: ApiFetcher) {
  return initClient(router, { baseUrl, baseHeaders: { 'X-Nomad-Token': token }, api });
}

/** The body of the 2xx answers among a route's answers. */
type SuccessBody<A> = A extends { status: 200 | 201 | 202 | 204; body: infer B } ? B : never;

export interface AgentClients {
  /**
   * Calls the agent of `node` with a client of `router` (`call` picks the route and its
   * arguments; pass an allocation ID through `encodeURIComponent`, ts-rest inserts path
   * parameters as they are). Resolves the body of a 2xx answer; throws the agent's error status
   * and text as an `EndpointError` (a status outside the contract's as 500), and `404 No path to
   * node` without trying a node that is down or disconnected or has no address, or when the agent
   * cannot be reached in time (logged as `forwarding <what> to node <id> at <host:port> failed`).
   */
  call<R extends AppRouter, A extends { status: number; body: unknown }>(
    node: Node,
    router: R,
    what: string,
    call: (client: AgentClient<R>) => Promise<A>,
  ): Promise<SuccessBody<A>>;
}

/** Calls to node agents with these limits. */
export function agentClients(options: AgentClientOptions = {}): AgentClients {
  const limits = {
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
  const log =
    options.log ?? ((message: string, cause: Error) => console.error(`server: ${message}`, cause));
  const api = agentFetcher(limits);

  return {
    async call(node, router, what, call) {
      // A node the servers consider gone is not tried (Nomad has no connection to it).
      if (node.Status === 'down' || node.Status === 'disconnected') throw noPath();
      const origin = agentOrigin(node);
      if (origin === undefined) throw noPath();
      let answer: { status: number; body: unknown };
      try {
        answer = await call(clientOf(router, origin, nodeSecret(node), api));
      } catch (error) {
        if (error instanceof AgentUnreachable) {
          const host = new URL(origin).host;
          log(
            `forwarding ${what} to node ${node.ID} at ${host} failed: ${error.message}`,
            error.cause,
          );
          throw noPath(error.cause);
        }
        if (error instanceof AgentAnswerInvalid) {
          throw new EndpointError(500, `node ${node.ID} answered ${what}: ${error.message}`);
        }
        throw error;
      }
      if (answer.status >= 200 && answer.status < 300) return answer.body as never;
      const status = (PASSED_THROUGH.has(answer.status) ? answer.status : 500) as ErrorStatus;
      throw new EndpointError(status, typeof answer.body === 'string' ? answer.body : '');
    },
  };
}

/**
 * The fetcher of the clients: one HTTP request with the limits; a 2xx answer (parsed when it is
 * JSON) is checked against the route's schema, an error answer is its text. Throws
 * {@link AgentUnreachable} when the agent cannot be reached or does not answer in time, and
 * {@link AgentAnswerInvalid} for a 2xx answer that is not the route's.
 */
function agentFetcher(limits: { connectTimeoutMs: number; timeoutMs: number }): ApiFetcher {
  return async ({ route, path, method, headers, body }) => {
    if (body !== null && body !== undefined && typeof body !== 'string') {
      throw new TypeError(`agent calls send JSON bodies only (${method} ${route.path})`);
    }
    const answer = await request(new URL(path), method, headers, body ?? undefined, limits);
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
        responseHeaders.append(name, one);
      }
    }
    const json = responseHeaders.get('content-type')?.includes('application/json') ?? false;
    if (answer.status < 200 || answer.status >= 300) {
      return { status: answer.status, body: answer.text, headers: responseHeaders };
    }
    let checked: { body?: unknown };
    try {
      const parsed = json ? (JSON.parse(answer.text) as unknown) : answer.text;
      checked = validateResponse({
        appRoute: route,
        response: { status: answer.status, body: parsed },
      });
    } catch (error) {
      // ts-rest's ResponseValidationError (the schema's first problems) or JSON.parse's
      // SyntaxError: both the agent's mistake.
      const detail =
        error instanceof ResponseValidationError
          ? error.cause.issues
              .slice(0, 3)
              .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
              .join('; ')
          : error instanceof Error
            ? error.message
            : String(error);
      throw new AgentAnswerInvalid(`an answer that is not the contract's (${detail})`, {
        cause: error,
      });
    }
    return { status: answer.status, body: checked.body, headers: responseHeaders };
  };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** Sends one request; resolves the answer, or rejects with why the agent was not reached in time. */
function request(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  limits: { connectTimeoutMs: number; timeoutMs: number },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).request(url, {
      method,
      headers:
        body === undefined ? headers : { ...headers, 'Content-Length': Buffer.byteLength(body) },
    });
    let settled = false;
    const finish = (outcome: Answer | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(answerTimer);
      if (outcome instanceof Error) {
        req.destroy();
        reject(new AgentUnreachable(outcome));
      } else resolve(outcome);
    };
    const connectTimer = setTimeout(
      () => finish(new Error(`no connection within ${limits.connectTimeoutMs} ms`)),
      limits.connectTimeoutMs,
    );
    const answerTimer = setTimeout(
      () => finish(new Error(`no answer within ${limits.timeoutMs} ms`)),
      limits.timeoutMs,
    );
    req.once('socket', (socket) => {
      if (!socket.connecting) clearTimeout(connectTimer);
      else socket.once('connect', () => clearTimeout(connectTimer));
    });
    req.once('error', finish);
    req.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', finish);
      response.once('end', () =>
        finish({
          status: response.statusCode ?? 500,
          headers: response.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.end(body);
  });
}
