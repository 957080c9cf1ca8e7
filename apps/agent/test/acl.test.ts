// The agent's API with ACLs: a real berth server with ACLs on (tokens and policies made through
// its ACL API) and a real agent running a mock_driver task, called directly as Nomad's clients
// call a node's HTTPAddr. Every answer must be the one a server would give.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Allocation, Job } from '@berth/contract';
import { startServer, type RunningServer } from '@berth/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type AgentConfig, type RunningAgent } from '../src/agent.js';
import { MockDriver } from '../src/drivers/index.js';
import { waitFor } from './support/cluster.js';

interface Setup {
  root: string;
  server: RunningServer;
  agents: RunningAgent[];
}

async function startSetup(acl: boolean): Promise<Setup> {
  const root = mkdtempSync(join(tmpdir(), 'berth-agent-acl-'));
  const server = await startServer({ httpPort: 0, dataDir: join(root, 'server'), acl });
  return { root, server, agents: [] };
}

async function closeSetup(s: Setup | undefined): Promise<void> {
  if (s === undefined) return;
  for (const agent of s.agents) await agent.close().catch(() => {});
  await s.server.close().catch(() => {});
  rmSync(s.root, { recursive: true, force: true });
}

async function agentOf(s: Setup, name: string, config: Partial<AgentConfig> = {}) {
  const agent = await startAgent({
    servers: [s.server.address],
    dataDir: join(s.root, name),
    nodeName: name,
    drivers: [new MockDriver()],
    pollWaitMs: 5_000,
    ...config,
  });
  s.agents.push(agent);
  return agent;
}

/** Calls the server's API with `token`; throws on a non-2xx answer. */
async function api<T>(s: Setup, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(s.server.address + path, {
    method,
    headers: {
      ...(token !== '' && { 'X-Nomad-Token': token }),
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  // A policy write answers with no body.
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** A one-task mock_driver job in `namespace` that runs for an hour. */
function mockJob(id: string, namespace: string): Partial<Job> {
  return {
    ID: id,
    Name: id,
    Namespace: namespace,
    Type: 'service',
    Datacenters: ['dc1'],
    TaskGroups: [
      {
        Name: 'app',
        Count: 1,
        Tasks: [
          {
            Name: 'web',
            Driver: 'mock_driver',
            Config: { run_for: '1h' },
            Resources: { CPU: 10, MemoryMB: 10 },
          },
        ],
      },
    ],
  } as unknown as Partial<Job>;
}

/** Places `job` and waits until its allocation runs on an agent. */
async function runningAlloc(s: Setup, token: string, job: Partial<Job>): Promise<Allocation> {
  await api(s, token, 'PUT', '/v1/jobs', { Job: job });
  const allocs = await waitFor(
    () =>
      api<Allocation[]>(
        s,
        token,
        'GET',
        `/v1/job/${job.ID}/allocations?namespace=${job.Namespace}`,
      ),
    (a) => a.some((x) => x.ClientStatus === 'running'),
  );
  return allocs.find((x) => x.ClientStatus === 'running')!;
}

/** Calls the agent's API directly, as Nomad's client does. */
async function onAgent(
  agent: RunningAgent,
  action: 'signal' | 'restart',
  allocID: string,
  headers: Record<string, string>,
) {
  const res = await fetch(`http://${agent.httpAddr}/v1/client/allocation/${allocID}/${action}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(action === 'signal' ? { Signal: 'SIGUSR1' } : {}),
  });
  return [res.status, await res.text()] as const;
}

const token = (secret: string) => ({ 'X-Nomad-Token': secret });

describe('the agent API with ACLs on', () => {
  let s: Setup | undefined;
  let agent: RunningAgent;
  let management: string;
  let prodToken: string;
  let devToken: string;
  let alloc: Allocation;

  beforeAll(async () => {
    s = await startSetup(true);
    const boot = await api<{ SecretID: string }>(s, '', 'POST', '/v1/acl/bootstrap');
    management = boot.SecretID;
    for (const ns of ['prod', 'dev']) {
      await api(s, management, 'POST', `/v1/namespace/${ns}`, { Name: ns });
      await api(s, management, 'POST', `/v1/acl/policy/lifecycle-${ns}`, {
        Name: `lifecycle-${ns}`,
        Rules: `namespace "${ns}" { capabilities = ["alloc-lifecycle", "read-job"] }`,
      });
    }
    const tokenFor = async (policy: string) =>
      (
        await api<{ SecretID: string }>(s!, management, 'POST', '/v1/acl/token', {
          Name: policy,
          Type: 'client',
          Policies: [policy],
        })
      ).SecretID;
    prodToken = await tokenFor('lifecycle-prod');
    devToken = await tokenFor('lifecycle-dev');
    // No TTL: every call asks the servers, so a policy made mid-test counts at once.
    agent = await agentOf(s, 'n1', { token: management, aclTokenTtlMs: 0 });
    alloc = await runningAlloc(s, management, mockJob('web', 'prod'));
  }, 30_000);

  afterAll(() => closeSetup(s));

  it('accepts the node secret, as the servers forward calls with it', async () => {
    expect(await onAgent(agent, 'signal', alloc.ID, token(agent.secretID))).toEqual([200, '{}']);
  });

  it('accepts a management token, and a token with alloc-lifecycle in the namespace', async () => {
    for (const secret of [management, prodToken]) {
      expect(await onAgent(agent, 'signal', alloc.ID, token(secret))).toEqual([200, '{}']);
      expect(await onAgent(agent, 'restart', alloc.ID, token(secret))).toEqual([200, '{}']);
    }
    const bearer = await onAgent(agent, 'signal', alloc.ID, {
      Authorization: `Bearer ${prodToken}`,
    });
    expect(bearer).toEqual([200, '{}']);
  });

  it('refuses a token without alloc-lifecycle in the namespace, after the lookup', async () => {
    expect(await onAgent(agent, 'signal', alloc.ID, token(devToken))).toEqual([
      403,
      'Permission denied',
    ]);
    const missing = randomUUID();
    expect(await onAgent(agent, 'restart', missing, token(devToken))).toEqual([
      404,
      `Unknown allocation "${missing}"`,
    ]);
  });

  it('refuses an unknown token before any lookup', async () => {
    for (const id of [alloc.ID, randomUUID()]) {
      expect(await onAgent(agent, 'signal', id, token(randomUUID()))).toEqual([
        403,
        'Permission denied',
      ]);
      expect(await onAgent(agent, 'restart', id, token('not-a-uuid'))).toEqual([
        403,
        'Permission denied',
      ]);
    }
  });

  it("refuses another node's secret", async () => {
    const other = await agentOf(s!, 'n2', { token: management });
    expect(await onAgent(agent, 'signal', alloc.ID, token(other.secretID))).toEqual([
      403,
      'Permission denied',
    ]);
  });

  it('refuses a caller without a token unless the anonymous policy allows it', async () => {
    expect(await onAgent(agent, 'signal', alloc.ID, {})).toEqual([403, 'Permission denied']);
    // Anonymous is authenticated: an unknown allocation is a 404.
    const missing = randomUUID();
    expect(await onAgent(agent, 'signal', missing, {})).toEqual([
      404,
      `Unknown allocation "${missing}"`,
    ]);
    await api(s!, management, 'POST', '/v1/acl/policy/anonymous', {
      Name: 'anonymous',
      Rules: 'namespace "prod" { policy = "write" }',
    });
    try {
      expect(await onAgent(agent, 'restart', alloc.ID, {})).toEqual([200, '{}']);
    } finally {
      await api(s!, management, 'DELETE', '/v1/acl/policy/anonymous');
    }
    expect(await onAgent(agent, 'restart', alloc.ID, {})).toEqual([403, 'Permission denied']);
  });

  it("passes the servers' own checks through: they forward with the node secret", async () => {
    const viaServer = async (secret: string) => {
      const res = await fetch(`${s!.server.address}/v1/client/allocation/${alloc.ID}/signal`, {
        method: 'POST',
        headers: token(secret),
        body: JSON.stringify({ Signal: 'SIGUSR1' }),
      });
      return [res.status, await res.text()];
    };
    expect(await viaServer(prodToken)).toEqual([200, '{}']);
    expect(await viaServer(devToken)).toEqual([403, 'Permission denied']);
  });

  it('re-registers a known node with its own secret, without a token or with a refused one', async () => {
    const n3 = await agentOf(s!, 'n3', { token: management });
    for (const config of [{}, { token: randomUUID() }]) {
      await s!.agents.pop()!.close();
      const again = await agentOf(s!, 'n3', config);
      expect(again.nodeID).toBe(n3.nodeID);
    }
  });
});

describe('the agent API with ACLs off', () => {
  let s: Setup | undefined;
  afterAll(() => closeSetup(s));

  it('accepts any token, or none, as a server with ACLs off does', async () => {
    s = await startSetup(false);
    const agent = await agentOf(s, 'n1');
    const alloc = await runningAlloc(s, '', mockJob('web', 'default'));
    for (const headers of [{}, token(randomUUID()), token('garbage'), token(agent.secretID)]) {
      expect(await onAgent(agent, 'signal', alloc.ID, headers)).toEqual([200, '{}']);
    }
  });
});

describe('the agent API when no server answers', () => {
  let s: Setup | undefined;
  afterAll(() => closeSetup(s));

  it("answers a user's token 503 with the reason, and still serves the node secret", async () => {
    s = await startSetup(false);
    // A short long-poll: the server's close waits for the agent's poll to end.
    const agent = await agentOf(s, 'n1', { pollWaitMs: 500 });
    const alloc = await runningAlloc(s, '', mockJob('web', 'default'));
    await s.server.close();
    const [status, text] = await onAgent(agent, 'signal', alloc.ID, token(randomUUID()));
    expect([status, text]).toEqual([
      503,
      'ACL token could not be checked: no server could be reached',
    ]);
    expect(await onAgent(agent, 'signal', alloc.ID, token(agent.secretID))).toEqual([200, '{}']);
  });
});
