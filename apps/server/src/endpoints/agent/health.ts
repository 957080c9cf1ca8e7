// Agent health (command/agent/agent_endpoint.go HealthRequest): the server's health and, when the
// process runs one, the node agent's; no ACL. `type` asks for `client`, `server` or both; one
// asked for but not run is unhealthy ("client not enabled"), and an unhealthy answer is a 500
// whose text is the health as JSON, as Nomad's.
import type { AgentHealthResponse } from '@berth/contract';
import { serverSelf, type EndpointContext } from '../context.js';
import { EndpointError } from '../endpoint-error.js';

export function agentHealth(
  ctx: EndpointContext,
  request: { types: readonly string[] | undefined },
): AgentHealthResponse {
  const types = request.types;
  const wantClient = types === undefined || types.includes('client');
  const wantServer = types === undefined || types.includes('server');
  const health: AgentHealthResponse = {};
  if (wantClient) {
    // The node agent in this process has this server to talk to: it knows a server.
    health.client = serverSelf(ctx).clientEnabled
      ? { ok: true, message: 'ok' }
      : types === undefined
        ? undefined
        : { ok: false, message: 'client not enabled' };
  }
  // A berth server is its region's only server, hence always its leader.
  if (wantServer) health.server = { ok: true, message: 'ok' };
  if (health.client === undefined) delete health.client;
  const ok = (health.client?.ok ?? true) && (health.server?.ok ?? true);
  if (!ok) throw new EndpointError(500, JSON.stringify(health));
  return health;
}
