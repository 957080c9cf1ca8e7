// Forwarding of client calls to node agents (Nomad's ClientAllocations.Signal/Restart, which a
// server forwards over the node's connection; berth calls the agent's HTTP API instead). The
// agent's answer is passed through: its status and text become the caller's.
import { ErrorText, type Node } from '@berth/contract';
import http from 'node:http';
import https from 'node:https';
import { EndpointError, notFound } from '../endpoints/endpoint-error.js';
import { nodeSecret } from '../endpoints/nodes/node-auth.js';
import type { ClientRpc } from './client-rpc.js';

/** How long forwarding may take. */
export interface HttpClientRpcOptions {
  /** Longest wait for the connection to the agent (default 5 s). */
  connectTimeoutMs?: number;
  /**
   * Longest wait for the agent's answer (default 5 min): a restart answers only once the old
   * process has exited (after the task's KillTimeout at worst) and the new one started.
   */
  timeoutMs?: number;
  /** Where a failure to reach an agent is reported, with its cause (default: stderr). */
  log?: (message: string, cause: Error) => void;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const DEFAULT_TIMEOUT_MS = 300_000;

type ErrorStatus = EndpointError['status'];
const PASSED_THROUGH: readonly number[] = [400, 403, 404, 405, 409, 500] satisfies ErrorStatus[];

/**
 * Nomad's answer when no server can reach the node; `cause` (a socket error, a timeout) is kept
 * for logs and callers, though the answer's text stays the spec's.
 */
function noPath(cause?: Error): EndpointError {
  const error = notFound(ErrorText.NoPathToNode);
  if (cause !== undefined) error.cause = cause;
  return error;
}

/** An agent that could not be reached: why, as an Error. */
interface Unreachable {
  failure: Error;
}

/** The agent's base URL from the node's `HTTPAddr` (`host:port`, or a full URL). */
function agentURL(node: Node, path: string): URL | undefined {
  const addr = node.HTTPAddr.trim();
  if (addr === '') return undefined;
  try {
    return new URL(path, /^[a-z]+:\/\//i.test(addr) ? addr : `http://${addr}`);
  } catch {
    return undefined;
  }
}

/** Calls the node agents over HTTP, authenticated with the node's SecretID. */
export function httpClientRpc(options: HttpClientRpcOptions = {}): ClientRpc {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const log =
    options.log ?? ((message: string, cause: Error) => console.error(`server: ${message}`, cause));

  async function forward(node: Node, allocID: string, action: string, body: object) {
    // A node the servers consider gone is not tried (Nomad has no connection to it).
    if (node.Status === 'down' || node.Status === 'disconnected') throw noPath();
    const url = agentURL(node, `/v1/client/allocation/${encodeURIComponent(allocID)}/${action}`);
    if (url === undefined) throw noPath();
    const answer = await post(url, nodeSecret(node), JSON.stringify(body), {
      connectTimeoutMs,
      timeoutMs,
    });
    if ('failure' in answer) {
      const message =
        `forwarding ${action} of allocation ${allocID} to node ${node.ID} at ${url.host} ` +
        `failed: ${answer.failure.message}`;
      log(message, answer.failure);
      throw noPath(answer.failure);
    }
    if (answer.status >= 200 && answer.status < 300) return;
    const status = PASSED_THROUGH.includes(answer.status) ? answer.status : 500;
    throw new EndpointError(status as ErrorStatus, answer.text);
  }

  return {
    signal: (node, request) =>
      forward(node, request.alloc.ID, 'signal', { Task: request.task, Signal: request.signal }),
    restart: (node, request) =>
      forward(node, request.alloc.ID, 'restart', {
        TaskName: request.taskName,
        AllTasks: request.allTasks,
      }),
  };
}

/** POSTs `body`; resolves the answer, or why the agent could not be reached in time. */
function post(
  url: URL,
  token: string,
  body: string,
  limits: { connectTimeoutMs: number; timeoutMs: number },
): Promise<{ status: number; text: string } | Unreachable> {
  return new Promise((resolve) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
        'X-Nomad-Token': token,
      },
    });
    let settled = false;
    const finish = (answer: { status: number; text: string } | Unreachable) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(answerTimer);
      if ('failure' in answer) request.destroy();
      resolve(answer);
    };
    const fail = (failure: Error) => finish({ failure });
    const connectTimer = setTimeout(
      () => fail(new Error(`no connection within ${limits.connectTimeoutMs} ms`)),
      limits.connectTimeoutMs,
    );
    const answerTimer = setTimeout(
      () => fail(new Error(`no answer within ${limits.timeoutMs} ms`)),
      limits.timeoutMs,
    );
    request.once('socket', (socket) => {
      if (!socket.connecting) clearTimeout(connectTimer);
      else socket.once('connect', () => clearTimeout(connectTimer));
    });
    request.once('error', fail);
    request.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', fail);
      response.once('end', () =>
        finish({
          status: response.statusCode ?? 500,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    request.end(body);
  });
}
