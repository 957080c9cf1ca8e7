// The agent's own HTTP API (Nomad's client endpoints, command/agent/alloc_endpoint.go on a client):
// signal and restart of the allocations this node runs, called by the servers with the node's
// SecretID as X-Nomad-Token.
import { timingSafeEqual } from 'node:crypto';
import {
  AllocRestartRequestSchema,
  AllocSignalRequestSchema,
  type AllocRestartRequest,
  type AllocSignalRequest,
} from '@berth/contract';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { LifecycleError, type AllocRunner } from '../allocrunner/types.js';

export interface AgentAppOptions {
  secretID: string;
  /** The runner of an allocation this node runs, if any. */
  runner(allocID: string): AllocRunner | undefined;
}

function sameSecret(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Builds the agent's app; never listens (the caller does). */
export async function buildAgentApp(options: AgentAppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  // An empty or missing body is an empty request, as Nomad's decoder allows.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    done(null, body);
  });

  app.addHook('onRequest', async (req, reply) => {
    const token = req.headers['x-nomad-token'];
    if (typeof token !== 'string' || !sameSecret(token, options.secretID)) {
      await reply.code(403).type('text/plain').send('Permission denied');
    }
  });

  const lifecycle =
    <T>(parse: (body: unknown) => T, act: (runner: AllocRunner, request: T) => Promise<void>) =>
    async (req: FastifyRequest<{ Params: { allocID: string } }>, reply: FastifyReply) => {
      let request: T;
      try {
        request = parse(decodeBody(req.body));
      } catch (error) {
        return reply.code(400).type('text/plain').send(errorText(error));
      }
      const runner = options.runner(req.params.allocID);
      if (runner === undefined) {
        return reply
          .code(404)
          .type('text/plain')
          .send(`Unknown allocation "${req.params.allocID}"`);
      }
      try {
        await act(runner, request);
      } catch (error) {
        if (error instanceof LifecycleError) {
          return reply.code(error.status).type('text/plain').send(error.message);
        }
        return reply.code(500).type('text/plain').send(errorText(error));
      }
      return reply.code(200).send({});
    };

  const signal = lifecycle(
    (body): AllocSignalRequest => AllocSignalRequestSchema.parse(body),
    (runner, r) => runner.signal(r.Task, r.Signal),
  );
  const restart = lifecycle(
    (body): AllocRestartRequest => AllocRestartRequestSchema.parse(body),
    (runner, r) => runner.restart(r.TaskName, r.AllTasks),
  );
  for (const method of ['POST', 'PUT'] as const) {
    app.route({ method, url: '/v1/client/allocation/:allocID/signal', handler: signal });
    app.route({ method, url: '/v1/client/allocation/:allocID/restart', handler: restart });
  }
  return app;
}

function decodeBody(body: unknown): unknown {
  if (typeof body !== 'string' || body.trim() === '') return {};
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new Error('Failed to decode request body');
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error && 'issues' in error) {
    const issues = (error as { issues: { message: string }[] }).issues;
    return issues.map((i) => i.message).join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}
