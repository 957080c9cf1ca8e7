// Agent servers (command/agent/agent_endpoint.go listServers): the servers the agent talks to;
// ACL agent:read. Nomad answers it only on an agent running a client (501 on a server alone);
// berth's server answers it always, with itself, the one server a node agent of its can use.
import { serverSelf, type EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';
import { rpcAddress } from './member.js';

export function agentServers(ctx: EndpointContext, request: { token: string }): string[] {
  const identity = ctx.acl.resolve(request.token);
  if (!identity.allowsAgentRead()) throw forbidden();
  return [rpcAddress(serverSelf(ctx))];
}
