// The two ACL calls against real berth servers (ACLs on and off), an address where nothing
// listens, and an HTTP service that is not a berth server.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '@berth/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerCallError } from '../daemon/server-failover.js';
import { expirationOf, httpAclServers } from './acl-servers.js';
import { buildAgentApp } from './app.js';

const roots: string[] = [];
const servers: RunningServer[] = [];

async function berth(acl: boolean): Promise<RunningServer> {
  const root = mkdtempSync(join(tmpdir(), 'berth-acl-servers-'));
  roots.push(root);
  const server = await startServer({ httpPort: 0, dataDir: join(root, 'server'), acl });
  servers.push(server);
  return server;
}

/** An address where nothing listens (a port just freed). */
async function deadAddress(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return `http://127.0.0.1:${port}`;
}

async function post<T>(base: string, token: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: token === '' ? {} : { 'X-Nomad-Token': token },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

afterAll(async () => {
  for (const s of servers) await s.close();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('httpAclServers, ACLs on', () => {
  let address: string;
  let management: string;
  let client: string;

  beforeAll(async () => {
    address = (await berth(true)).address;
    management = (await post<{ SecretID: string }>(address, '', '/v1/acl/bootstrap')).SecretID;
    for (const name of ['mine', 'other']) {
      await post(address, management, `/v1/acl/policy/${name}`, {
        Name: name,
        Rules: 'namespace "default" { policy = "read" }',
      });
    }
    client = (
      await post<{ SecretID: string }>(address, management, '/v1/acl/token', {
        Type: 'client',
        Policies: ['mine'],
        ExpirationTTL: '1h',
      })
    ).SecretID;
  });

  it('reads a token: its type, policies and expiry', async () => {
    const acl = httpAclServers([address]);
    expect(await acl.tokenSelf(management)).toEqual({
      kind: 'found',
      value: { type: 'management', policies: [], expiresAtMs: undefined },
    });
    const self = await acl.tokenSelf(client);
    expect(self.kind === 'found' && self.value.policies).toEqual(['mine']);
    const expires = self.kind === 'found' ? (self.value.expiresAtMs ?? 0) : 0;
    expect(Math.abs(expires - (Date.now() + 3_600_000))).toBeLessThan(60_000);
  });

  it('says denied for an unknown secret or a garbage one', async () => {
    const acl = httpAclServers([address]);
    expect(await acl.tokenSelf(randomUUID())).toEqual({ kind: 'denied' });
    expect(await acl.tokenSelf('garbage')).toEqual({ kind: 'denied' });
  });

  it("reads a token's own policies; another's is denied, a missing one missing", async () => {
    const acl = httpAclServers([address]);
    expect(await acl.policyRules('mine', client)).toEqual({
      kind: 'found',
      value: 'namespace "default" { policy = "read" }',
    });
    expect(await acl.policyRules('other', client)).toEqual({ kind: 'denied' });
    expect(await acl.policyRules('nope', management)).toEqual({ kind: 'missing' });
    expect(await acl.policyRules('anonymous', '')).toEqual({ kind: 'missing' });
  });

  it('fails over from an address where nothing listens', async () => {
    const acl = httpAclServers([await deadAddress(), address]);
    expect((await acl.tokenSelf(management)).kind).toBe('found');
  });
});

describe('httpAclServers, elsewhere', () => {
  it('says disabled when the servers have ACLs off', async () => {
    const acl = httpAclServers([(await berth(false)).address]);
    expect(await acl.tokenSelf(randomUUID())).toEqual({ kind: 'disabled' });
    expect(await acl.policyRules('anonymous', '')).toEqual({ kind: 'disabled' });
  });

  it('throws status 0 when no server listens', async () => {
    const acl = httpAclServers([await deadAddress()]);
    const error = await acl.tokenSelf(randomUUID()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerCallError);
    expect((error as ServerCallError).status).toBe(0);
  });

  it('throws the status of a service that is no berth server (an empty 404 is not a verdict)', async () => {
    const notBerth = await buildAgentApp({ secretID: randomUUID(), allocation: () => undefined });
    await notBerth.listen({ host: '127.0.0.1', port: 0 });
    try {
      const { port } = notBerth.server.address() as { port: number };
      const acl = httpAclServers([`http://127.0.0.1:${port}`]);
      for (const call of [acl.tokenSelf('s'), acl.policyRules('p', 's')]) {
        const error = await call.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ServerCallError);
        expect((error as ServerCallError).status).toBe(404);
      }
    } finally {
      await notBerth.close();
    }
  });
});

describe('expirationOf', () => {
  it("reads RFC 3339 with nanoseconds, null and Go's zero time as never", () => {
    expect(expirationOf('2030-01-02T03:04:05.123456789Z')).toBe(Date.UTC(2030, 0, 2, 3, 4, 5, 123));
    expect(expirationOf('2030-01-02T05:04:05+02:00')).toBe(Date.UTC(2030, 0, 2, 3, 4, 5));
    expect(expirationOf(null)).toBeUndefined();
    expect(expirationOf('0001-01-01T00:00:00Z')).toBeUndefined();
    expect(() => expirationOf('tomorrow')).toThrow('unreadable ExpirationTime "tomorrow"');
  });
});
