import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/harness.js';
import { failure } from '../../test-support/api-failure.js';

const UUID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/;

let dir: string;
const servers: TestServer[] = [];

async function start(options: { aclEnabled?: boolean } = {}): Promise<TestServer> {
  const server = await startTestServer({ aclEnabled: options.aclEnabled ?? true, dataDir: dir });
  servers.push(server);
  return server;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-acl-bootstrap-'));
});

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const resetFile = () => join(dir, 'acl-bootstrap-reset');

describe('ACL bootstrap', () => {
  test('with ACLs off every ACL endpoint answers 400 ACL support disabled', async () => {
    const server = await start({ aclEnabled: false });
    const { acl } = server.client;
    const id = '00000000-0000-4000-8000-000000000000';
    const calls: (() => Promise<unknown>)[] = [
      () => acl.bootstrap(),
      () => acl.policies(),
      () => acl.policyInfo('anonymous'),
      () => acl.policyUpsert({ Name: 'p', Rules: '' }),
      () => acl.policyDelete('p'),
      () => acl.tokens(),
      () => acl.tokenCreate({ Type: 'management' }),
      () => acl.tokenUpdate({ AccessorID: id, Type: 'management' }),
      () => acl.tokenInfo(id),
      () => acl.tokenSelf(),
      () => acl.tokenDelete(id),
    ];
    for (const call of calls) {
      const error = await failure(call());
      expect([error.status, error.message]).toEqual([400, 'ACL support disabled']);
    }
    expect(server.store.aclBootstrapIndex()).toBe(0);
  });

  test('answers a management token once, which then authenticates; a second is refused', async () => {
    const server = await start();
    const { data: token, meta } = await server.client.acl.bootstrap();
    expect(token).toMatchObject({
      Name: 'Bootstrap Token',
      Type: 'management',
      Global: true,
      Policies: null,
      ExpirationTime: null,
      ExpirationTTL: '',
      CreateIndex: meta.lastIndex,
      ModifyIndex: meta.lastIndex,
    });
    expect(token.AccessorID).toMatch(UUID);
    expect(token.SecretID).toMatch(UUID);
    expect(token.SecretID).not.toBe(token.AccessorID);
    expect(Date.now() - Date.parse(token.CreateTime!)).toBeLessThan(60_000);
    expect(token.Hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);

    const self = await server.clientFor({ token: token.SecretID }).acl.tokenSelf();
    expect(self.data).toEqual(token);

    const again = await failure(server.client.acl.bootstrap());
    expect([again.status, again.message]).toEqual([
      400,
      `ACL bootstrap already done (reset index: ${meta.lastIndex})`,
    ]);
    // Even a management token cannot bootstrap twice.
    const withToken = await failure(server.clientFor({ token: token.SecretID }).acl.bootstrap());
    expect(withToken.status).toBe(400);
  });

  test('an operator-chosen BootstrapSecret must be a UUID', async () => {
    const server = await start();
    const bad = await failure(server.client.acl.bootstrap('not-a-uuid'));
    expect([bad.status, bad.message]).toEqual([400, 'invalid acl token']);
    expect(server.store.aclBootstrapIndex()).toBe(0);

    const chosen = 'C0FFEE00-1234-4abc-8def-0123456789ab';
    const { data } = await server.client.acl.bootstrap(chosen);
    expect(data.SecretID).toBe(chosen);
    expect((await server.clientFor({ token: chosen }).acl.tokenSelf()).data.AccessorID).toBe(
      data.AccessorID,
    );
  });

  test('the reset file holding the reset index allows one more bootstrap', async () => {
    const server = await start();
    const first = await server.client.acl.bootstrap();
    const resetIndex = first.meta.lastIndex;

    writeFileSync(resetFile(), `${resetIndex}\n`);
    const second = await server.client.acl.bootstrap();
    expect(second.data.AccessorID).not.toBe(first.data.AccessorID);
    expect(server.store.aclBootstrapIndex()).toBe(second.meta.lastIndex);
    // The first token is not revoked by a reset.
    const firstSelf = await server.clientFor({ token: first.data.SecretID }).acl.tokenSelf();
    expect(firstSelf.data.AccessorID).toBe(first.data.AccessorID);

    // The file now names an old reset index.
    const stale = await failure(server.client.acl.bootstrap());
    expect([stale.status, stale.message]).toEqual([
      400,
      `Invalid bootstrap reset index (specified ${resetIndex}, reset index: ${second.meta.lastIndex})`,
    ]);
  });

  test('a reset file that cannot be used says why', async () => {
    const server = await start();
    const { meta } = await server.client.acl.bootstrap();
    const done = `ACL bootstrap already done (reset index: ${meta.lastIndex})`;
    const cases: [content: string, reason: string][] = [
      ['soon', 'acl-bootstrap-reset does not hold a reset index (one decimal number)'],
      [
        `${meta.lastIndex} or so`,
        'acl-bootstrap-reset does not hold a reset index (one decimal number)',
      ],
      [
        ' '.repeat(100),
        'acl-bootstrap-reset is larger than 64 bytes; it must hold only the reset index',
      ],
      ['dir', 'acl-bootstrap-reset cannot be read (EISDIR)'], // a directory in its place
    ];
    for (const [content, reason] of cases) {
      rmSync(resetFile(), { recursive: true, force: true });
      if (content === 'dir') mkdirSync(resetFile());
      else writeFileSync(resetFile(), content);
      const error = await failure(server.client.acl.bootstrap());
      expect([error.status, error.message]).toEqual([400, `${done}; ${reason}`]);
    }
    // 0 (and an empty file's absence of a number) reads as no reset, as in Nomad.
    rmSync(resetFile(), { recursive: true, force: true });
    writeFileSync(resetFile(), '0');
    expect((await failure(server.client.acl.bootstrap())).message).toBe(done);
    expect(server.store.aclBootstrapIndex()).toBe(meta.lastIndex);
  });

  test('bootstrap state and tokens survive a restart', async () => {
    const first = await start();
    const { data: token, meta } = await first.client.acl.bootstrap();
    const ci = await first.clientFor({ token: token.SecretID }).acl.tokenCreate({
      Name: 'ci',
      Type: 'client',
      Policies: ['deploy'],
    });
    await first.close();
    servers.splice(servers.indexOf(first), 1);

    const second = await start();
    const again = await failure(second.client.acl.bootstrap());
    expect(again.message).toBe(`ACL bootstrap already done (reset index: ${meta.lastIndex})`);
    const root = second.clientFor({ token: token.SecretID });
    expect((await root.acl.tokenSelf()).data).toEqual(token);
    expect((await root.acl.tokenInfo(ci.data.AccessorID)).data).toEqual(ci.data);
  });

  test('two bootstraps at once: one token, the other refused', async () => {
    const server = await start();
    const results = await Promise.allSettled([
      server.client.acl.bootstrap(),
      server.client.acl.bootstrap(),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(server.store.aclTokens('')).toHaveLength(1);
  });
});
