// Forwarding of the file routes to node agents (Nomad's FileSystem.* streaming RPCs, which a
// server forwards over the node's connection; berth calls the agent's HTTP API at the node's
// HTTPAddr, at the path of the contract's `clientFsContract` route, with the node's SecretID as
// token). The agent's answer is streamed through as it comes; its refusal passes through; an
// agent out of reach is Nomad's `No path to node`.
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { ErrorText, type Node } from '@berth/contract';
import type { AppRoute } from '@ts-rest/core';
import { EndpointError, notFound } from '../endpoints/endpoint-error.js';
import { nodeSecret } from '../endpoints/nodes/node-auth.js';
import { agentOrigin } from './agent-client.js';

/** A forwarded answer: the agent's bytes, as they come, and their content type. */
export interface ForwardedStream {
  body: Readable;
  contentType: string;
}

export interface FsForwarder {
  /**
   * Calls `route` on `node`'s agent for `allocID` with the caller's raw query string; resolves
   * once the agent has answered 200 (its body then streams), rejects with its refusal otherwise.
   * `signal` aborts the call (the caller went away).
   */
  forward(
    node: Node,
    route: AppRoute,
    allocID: string,
    query: string,
    signal: AbortSignal,
  ): Promise<ForwardedStream>;
}

export interface FsForwarderOptions {
  /** Longest wait for the agent's answer to begin (default 30 s). */
  timeoutMs?: number;
  /** Where a failure to reach an agent is reported, with its cause (default: stderr). */
  log?: (message: string, cause: unknown) => void;
}

type ErrorStatus = EndpointError['status'];
const PASSED_THROUGH: readonly number[] = [400, 403, 404, 405, 409, 500] satisfies ErrorStatus[];
/** At most this much of a refusal's text is read. */
const MAX_ERROR_TEXT = 64 * 1024;

function noPath(cause?: unknown): EndpointError {
  const error = notFound(ErrorText.NoPathToNode);
  if (cause !== undefined) error.cause = cause;
  return error;
}

/** The route's path with its `:allocID`, and the query string as the caller sent it. */
function routeUrl(base: string, route: AppRoute, allocID: string, query: string): URL {
  const url = new URL(route.path.replace(':allocID', encodeURIComponent(allocID)), base);
  url.search = query;
  return url;
}

async function refusalText(body: Readable): Promise<string> {
  let text = '';
  for await (const chunk of body) {
    text += (chunk as Buffer).toString();
    if (text.length >= MAX_ERROR_TEXT) {
      body.destroy();
      break;
    }
  }
  return text.slice(0, MAX_ERROR_TEXT);
}

/** {@link FsForwarder} over HTTP, with the node's SecretID. */
export function httpFsForwarder(options: FsForwarderOptions = {}): FsForwarder {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const log =
    options.log ??
    ((message: string, cause: unknown) => console.error(`server: ${message}`, cause));
  return {
    async forward(node, route, allocID, query, signal) {
      // A node the servers consider gone is not tried (Nomad has no connection to it).
      if (node.Status === 'down' || node.Status === 'disconnected') throw noPath();
      const base = agentOrigin(node);
      if (base === undefined) throw noPath();
      const url = routeUrl(base, route, allocID, query);
      let response: http.IncomingMessage;
      try {
        response = await new Promise<http.IncomingMessage>((resolve, reject) => {
          const request = (url.protocol === 'https:' ? https : http).request(url, {
            method: route.method,
            headers: { 'X-Nomad-Token': nodeSecret(node) },
            signal,
            timeout: timeoutMs,
          });
          request.once('response', resolve);
          request.once('error', reject);
          // Until the answer begins; a follow may then be quiet for long (heartbeats aside).
          request.once('timeout', () => request.destroy(new Error('timed out')));
          request.once('response', () => request.setTimeout(0));
          request.end();
        });
      } catch (error) {
        if (signal.aborted) throw noPath(error);
        log(`forwarding ${route.path} of allocation ${allocID} to node ${node.ID} failed`, error);
        throw noPath(error);
      }
      if (response.statusCode === 200) {
        return {
          body: response,
          contentType: response.headers['content-type'] ?? 'application/octet-stream',
        };
      }
      const status = PASSED_THROUGH.includes(response.statusCode ?? 0)
        ? (response.statusCode as ErrorStatus)
        : 500;
      throw new EndpointError(status, await refusalText(response));
    },
  };
}
