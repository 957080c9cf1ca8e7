import {
  AgentHealthResponseSchema,
  AgentSelfSchema,
  agentContract,
  parseGoDuration,
} from '@berth/contract';
import { describe, expect, it } from 'vitest';
import {
  nodeAgentHealth,
  nodeAgentSelf,
  serverAddresses,
  type NodeAgentFacts,
} from './node-self.js';

const facts: NodeAgentFacts = {
  region: 'global',
  datacenter: 'dc2',
  nodeName: 'worker-1',
  nodeID: '0b0c4a3e-0000-4000-8000-000000000001',
  nodeClass: 'batch',
  nodePool: 'default',
  bindAddr: '127.0.0.1',
  httpPort: 4647,
  version: '0.1.0-beta.2+abc',
  servers: ['http://10.0.0.2:4646/', 'http://10.0.0.1:4646', 'https://[::1]', 'nomad.local:4646'],
  numAllocations: 3,
  lastHeartbeatMs: 1_000_000,
  heartbeatTtlMs: 10_000,
  startedMs: 900_000,
  aclEnabled: true,
  now: 1_002_500,
};

describe('a node agent’s own view', () => {
  it('is a client, not a server, with its node name, datacenter and the client stats', () => {
    const self = AgentSelfSchema.parse(nodeAgentSelf(facts));
    expect(self.config.Client.Enabled).toBe(true);
    expect(self.config.Server.Enabled).toBe(false);
    expect(self.config).toMatchObject({
      Region: 'global',
      Datacenter: 'dc2',
      NodeName: 'worker-1',
      Ports: { HTTP: 4647 },
      ACL: { Enabled: true },
      Version: { Version: '0.1.0', VersionPrerelease: 'beta.2', VersionMetadata: 'abc' },
    });
    // No serf member on a client: Nomad shows Go's zero member.
    expect(self.member).toMatchObject({ Name: '', Addr: '', Status: 'none' });
    expect(self.stats.client).toEqual({
      node_id: facts.nodeID,
      known_servers: '10.0.0.1:4646,10.0.0.2:4646,[::1]:443,nomad.local:4646',
      num_allocations: '3',
      last_heartbeat: '2.5s',
      heartbeat_ttl: '10s',
    });
    // As `nomad agent check` reads them.
    expect(parseGoDuration(self.stats.client!.last_heartbeat!)).toBe(2_500_000_000);
    expect(self.stats.nomad).toBeUndefined();
  });

  it('counts from the agent’s start before any heartbeat', () => {
    const self = nodeAgentSelf({ ...facts, lastHeartbeatMs: undefined, heartbeatTtlMs: 0 });
    expect(self.stats.client).toMatchObject({ last_heartbeat: '1m42.5s', heartbeat_ttl: '0s' });
  });

  it('lists its servers as host:port, sorted, as the contract’s route answers', () => {
    const listed = serverAddresses(facts.servers);
    expect(listed).toEqual(['10.0.0.1:4646', '10.0.0.2:4646', '[::1]:443', 'nomad.local:4646']);
    expect(agentContract.servers.responses[200].parse(listed)).toEqual(listed);
  });
});

describe('a node agent’s health', () => {
  it('is the client’s alone: healthy while a server is known', () => {
    expect(nodeAgentHealth(undefined, 1)).toEqual({
      ok: true,
      health: { client: { ok: true, message: 'ok' } },
    });
    expect(nodeAgentHealth(['client'], 0)).toEqual({
      ok: false,
      health: { client: { ok: false, message: 'no known servers' } },
    });
  });

  it('is unhealthy when a server is asked for, which a node agent does not run', () => {
    const { ok, health } = nodeAgentHealth(['client', 'server'], 2);
    expect(ok).toBe(false);
    expect(AgentHealthResponseSchema.parse(health)).toEqual({
      client: { ok: true, message: 'ok' },
      server: { ok: false, message: 'server not enabled' },
    });
  });

  it('answers an empty health for types it does not know, as Nomad', () => {
    expect(nodeAgentHealth(['other'], 1)).toEqual({ ok: true, health: {} });
  });
});
