// A test stand-in for a node agent's calls: a ts-rest client of the node agent routes over
// app.inject(), authenticated with a node's SecretID, as the agent builds its own.
import { nodeAgentContract } from '@berth/contract';
import { initClient } from '@ts-rest/core';
import type { FastifyInstance } from 'fastify';
import { injectFetch } from '../../test-support/harness.js';

/** The node agent routes of `app`, called with `secretID` as X-Nomad-Token. */
export function agentClient(app: FastifyInstance, secretID = '') {
  const fetch = injectFetch(app);
  return initClient(nodeAgentContract, {
    baseUrl: 'http://berth.test',
    baseHeaders: secretID === '' ? {} : { 'X-Nomad-Token': secretID },
    api: async ({ path, method, headers, body }) => {
      const res = await fetch(path, { method, headers, body: body as string | undefined });
      const text = await res.text();
      const json = res.headers.get('content-type')?.includes('application/json') ?? false;
      return {
        status: res.status,
        body: json ? (JSON.parse(text) as unknown) : text,
        headers: res.headers,
      };
    },
  });
}

/** A client type, for tests that keep one. */
export type AgentClient = ReturnType<typeof agentClient>;
