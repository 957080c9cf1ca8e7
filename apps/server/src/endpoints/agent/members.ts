// Status.Members (nomad/status_endpoint.go), behind Nomad's /v1/agent/members: the answering
// server and the server members it knows (itself); ACL node:read.
import type { ServerMembers } from '@berth/contract';
import { serverSelf, type EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';
import { serverMember } from './member.js';

export function agentMembers(ctx: EndpointContext, request: { token: string }): ServerMembers {
  const identity = ctx.acl.resolve(request.token);
  if (!identity.allowsNodeRead()) throw forbidden();
  const self = serverSelf(ctx);
  return {
    ServerName: self.nodeName,
    ServerRegion: self.region,
    ServerDC: self.datacenter,
    Members: [serverMember(self)],
  };
}
