import type { AppRoute } from '@ts-rest/core';
import { expect, test } from 'vitest';
import { contract } from './index.js';

test('the cluster and agent routes follow Nomad paths and methods', () => {
  const routers: Record<string, AppRoute>[] = [contract.status, contract.regions, contract.agent];
  const routes = routers.flatMap((r) =>
    Object.entries(r).map(([k, v]) => [k, `${v.method} ${v.path}`]),
  );
  expect(routes).toEqual([
    ['leader', 'GET /v1/status/leader'],
    ['peers', 'GET /v1/status/peers'],
    ['list', 'GET /v1/regions'],
    ['self', 'GET /v1/agent/self'],
    ['members', 'GET /v1/agent/members'],
    ['servers', 'GET /v1/agent/servers'],
    ['health', 'GET /v1/agent/health'],
  ]);
});

test('health reads every `type` value, as Nomad does; absent means both', () => {
  const q = contract.agent.health.query;
  expect(q.parse({}).type).toBeUndefined();
  expect(q.parse({ type: 'client' }).type).toEqual(['client']);
  expect(q.parse({ type: ['client', 'server'] }).type).toEqual(['client', 'server']);
});

test('agent self decodes a Nomad answer and keeps the config keys berth does not model', () => {
  const member = {
    Name: 'n.global',
    Addr: '10.0.0.1',
    Port: 4648,
    Tags: { role: 'nomad', port: '4647' },
    Status: 'alive',
    ProtocolMin: 1,
    ProtocolMax: 5,
    ProtocolCur: 2,
    DelegateMin: 2,
    DelegateMax: 5,
    DelegateCur: 4,
  };
  const enabled = { Enabled: true };
  const parsed = contract.agent.self.responses[200].parse({
    config: {
      Region: 'global',
      Datacenter: 'dc1',
      NodeName: 'n',
      BindAddr: '0.0.0.0',
      DevMode: false,
      Ports: { HTTP: 4646, RPC: 4647, Serf: 4648 },
      Version: {
        BuildDate: '2025-01-01T00:00:00Z',
        Revision: 'abc',
        Version: '1.9.3',
        VersionPrerelease: '',
        VersionMetadata: '',
      },
      Server: enabled,
      Client: enabled,
      ACL: enabled,
      LogLevel: 'INFO',
    },
    member,
    stats: { nomad: { leader: 'true' } },
  });
  expect(parsed.config.LogLevel).toBe('INFO');
  expect(parsed.member.Tags.port).toBe('4647');
});
