// Agent self (command/agent/agent_endpoint.go AgentSelfRequest): the answering agent's
// configuration, member entry and statistics; ACL agent:read. The configuration holds only what
// berth knows of itself and never a secret (no token, no path on the server's disk).
import { availableParallelism } from 'node:os';
import type { AgentSelf } from '@berth/contract';
import { serverSelf, type EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';
import { NOMAD_RPC_PORT, NOMAD_SERF_PORT, rpcAddress, serverMember } from './member.js';

export function agentSelf(ctx: EndpointContext, request: { token: string }): AgentSelf {
  const identity = ctx.acl.resolve(request.token);
  if (!identity.allowsAgentRead()) throw forbidden();
  const self = serverSelf(ctx);
  return {
    config: {
      Region: self.region,
      Datacenter: self.datacenter,
      NodeName: self.nodeName,
      BindAddr: self.bindAddr,
      DevMode: self.devMode,
      Ports: { HTTP: self.httpPort, RPC: NOMAD_RPC_PORT, Serf: NOMAD_SERF_PORT },
      Version: {
        // Go's zero time: berth's build does not record its date.
        BuildDate: '0001-01-01T00:00:00Z',
        Revision: '',
        ...splitVersion(self.version),
      },
      Server: { Enabled: true },
      Client: { Enabled: self.clientEnabled },
      ACL: { Enabled: ctx.aclEnabled ?? false },
    },
    member: serverMember(self),
    stats: {
      nomad: {
        server: 'true',
        leader: 'true',
        leader_addr: rpcAddress(self),
        bootstrap: 'true',
        known_regions: '1',
      },
      // Nomad shows its Go runtime here; berth shows the JavaScript runtime it runs on.
      runtime: {
        arch: process.arch,
        cpu_count: String(availableParallelism()),
        'kernel.name': process.platform,
        version: process.version,
      },
    },
  };
}

/** `1.2.3-beta.1+abc` as Nomad's VersionInfo splits it: version, prerelease, metadata. */
function splitVersion(version: string): {
  Version: string;
  VersionPrerelease: string;
  VersionMetadata: string;
} {
  const plus = version.indexOf('+');
  const core = plus === -1 ? version : version.slice(0, plus);
  const dash = core.indexOf('-');
  return {
    Version: dash === -1 ? core : core.slice(0, dash),
    VersionPrerelease: dash === -1 ? '' : core.slice(dash + 1),
    VersionMetadata: plus === -1 ? '' : version.slice(plus + 1),
  };
}
