import { parsePolicy, PolicyParseError } from '@berth/acl';
import { multiError, type AclToken } from '@berth/contract';
import type { BerthClient } from '@berth/client';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/harness.js';
import { failure } from '../../test-support/api-failure.js';

let server: TestServer;
let admin: BerthClient;

beforeEach(async () => {
  server = await startTestServer({ aclEnabled: true });
  const root = (await server.client.acl.bootstrap()).data;
  admin = server.clientFor({ token: root.SecretID });
});
afterEach(() => server.close());

const READ_DEFAULT = 'namespace "default" {\n  policy = "read"\n}\n';
const invalid = (...errors: string[]) => `policy 0 invalid: ${multiError(errors)}`;

async function tokenHolding(...policies: string[]): Promise<AclToken> {
  return (await admin.acl.tokenCreate({ Name: 'dev', Type: 'client', Policies: policies })).data;
}

function parseError(rules: string): string {
  try {
    parsePolicy(rules);
  } catch (error) {
    if (error instanceof PolicyParseError) return error.message;
    throw error;
  }
  throw new Error('rules parsed');
}

describe('ACL policies', () => {
  test('upsert then read answers the policy, its rules parsed, with its indexes', async () => {
    const created = await admin.acl.policyUpsert({
      Name: 'readonly',
      Description: 'Read the default namespace',
      Rules: READ_DEFAULT,
    });
    const { data, meta } = await admin.acl.policyInfo('readonly');
    expect(meta.lastIndex).toBe(created.meta.lastIndex);
    expect(data).toMatchObject({
      Name: 'readonly',
      Description: 'Read the default namespace',
      Rules: READ_DEFAULT,
      JobACL: null,
      CreateIndex: created.meta.lastIndex,
      ModifyIndex: created.meta.lastIndex,
    });
    expect(data.Hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(data.RulesJSON).toMatchObject({
      Namespaces: [
        {
          Name: 'default',
          Policy: 'read',
          Capabilities: expect.arrayContaining(['list-jobs', 'read-job']) as unknown,
        },
      ],
      Agent: null,
      Raw: READ_DEFAULT,
    });

    const updated = await admin.acl.policyUpsert({ Name: 'readonly', Rules: READ_DEFAULT });
    const after = (await admin.acl.policyInfo('readonly')).data;
    expect(after).toMatchObject({
      Description: '',
      CreateIndex: created.meta.lastIndex,
      ModifyIndex: updated.meta.lastIndex,
    });
    expect(after.Hash).not.toBe(data.Hash);
  });

  test('upsert answers an empty body and the index; POST works as PUT', async () => {
    const res = await server.inject({
      method: 'POST',
      url: '/v1/acl/policy/ops',
      headers: { 'x-nomad-token': (await admin.acl.tokenSelf()).data.SecretID },
      payload: { Name: 'ops', Rules: 'node { policy = "read" }' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    expect(Number(res.headers['x-nomad-index'])).toBe(server.store.tableIndex('acl_policies'));
  });

  test("Nomad's validation texts; rules that do not parse name their line", async () => {
    const badRules = 'namespace "default" {\n  policy = "read"\n}\nbogus {}\n';
    const cases: [Parameters<typeof admin.acl.policyUpsert>[0], string][] = [
      [{ Name: 'no_way', Rules: '' }, invalid("invalid name 'no_way'")],
      [
        { Name: 'x'.repeat(129), Rules: badRules, Description: 'é'.repeat(129) },
        invalid(
          `invalid name '${'x'.repeat(129)}'`,
          `failed to parse rules: ${parseError(badRules)}`,
          'description longer than 256',
        ),
      ],
      [
        { Name: 'wl', Rules: '', JobACL: { Namespace: 'default', JobID: 'web' } },
        invalid('JobACL is not supported: berth has no workload identities to attach a policy to'),
      ],
    ];
    for (const [policy, text] of cases) {
      const error = await failure(admin.acl.policyUpsert(policy));
      expect([error.status, error.message]).toEqual([400, text]);
    }
    expect(parseError(badRules)).toMatch(/line 4/);
    expect((await admin.acl.policies()).data).toEqual([]);

    const mismatch = await server.inject({
      method: 'PUT',
      url: '/v1/acl/policy/other',
      payload: { Name: 'ops', Rules: '' },
    });
    expect([mismatch.statusCode, mismatch.body]).toEqual([
      400,
      'ACL policy name does not match request path',
    ]);
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const res = await server.inject({
        method,
        url: '/v1/acl/policy/',
        ...(method === 'PUT' ? { payload: { Name: '', Rules: '' } } : {}),
      });
      expect([res.statusCode, res.body]).toEqual([400, 'Missing Policy Name']);
    }
  });

  test('a management token sees every policy, another token those it holds', async () => {
    for (const name of ['readonly', 'deploy', 'anonymous']) {
      await admin.acl.policyUpsert({ Name: name, Rules: READ_DEFAULT });
    }
    const all = await admin.acl.policies();
    expect(all.data.map((p) => p.Name)).toEqual(['anonymous', 'deploy', 'readonly']);
    expect(all.data[0]).not.toHaveProperty('Rules');
    expect(all.meta.lastIndex).toBe(server.store.tableIndex('acl_policies'));
    expect((await admin.acl.policies({ prefix: 'dep' })).data.map((p) => p.Name)).toEqual([
      'deploy',
    ]);

    const dev = server.clientFor({ token: (await tokenHolding('readonly', 'missing')).SecretID });
    expect((await dev.acl.policies()).data.map((p) => p.Name)).toEqual(['readonly']);
    expect((await dev.acl.policyInfo('readonly')).data.Name).toBe('readonly');
    const other = await failure(dev.acl.policyInfo('deploy'));
    expect([other.status, other.message]).toEqual([403, 'Permission denied']);
    // A policy the token names but that does not exist.
    const missing = await failure(dev.acl.policyInfo('missing'));
    expect([missing.status, missing.message]).toEqual([404, 'ACL policy not found']);
    // Everyone may read the anonymous policy; the anonymous caller lists only it.
    expect((await dev.acl.policyInfo('anonymous')).data.Name).toBe('anonymous');
    expect((await server.client.acl.policies()).data.map((p) => p.Name)).toEqual(['anonymous']);
    expect((await failure(server.client.acl.policyInfo('readonly'))).status).toBe(403);

    const unknown = await failure(
      server.clientFor({ token: '00000000-0000-4000-8000-000000000000' }).acl.policies(),
    );
    expect([unknown.status, unknown.message]).toEqual([403, 'Permission denied']);
  });

  test('only a management token writes policies; deleting a missing policy succeeds', async () => {
    await admin.acl.policyUpsert({ Name: 'readonly', Rules: READ_DEFAULT });
    const dev = server.clientFor({ token: (await tokenHolding('readonly')).SecretID });
    for (const client of [dev, server.client]) {
      const upsert = await failure(client.acl.policyUpsert({ Name: 'readonly', Rules: '' }));
      expect([upsert.status, upsert.message]).toEqual([403, 'Permission denied']);
      const del = await failure(client.acl.policyDelete('readonly'));
      expect(del.status).toBe(403);
    }
    const missing = await failure(admin.acl.policyInfo('ghost'));
    expect([missing.status, missing.message]).toEqual([404, 'ACL policy not found']);
    const ghost = await admin.acl.policyDelete('ghost');
    expect(ghost.meta.lastIndex).toBeGreaterThan(0);

    await admin.acl.policyDelete('readonly');
    expect((await admin.acl.policies()).data).toEqual([]);
    // The token keeps naming the deleted policy, which now grants (and shows) nothing.
    expect((await dev.acl.tokenSelf()).data.Policies).toEqual(['readonly']);
    expect((await dev.acl.policies()).data).toEqual([]);
  });

  test('a blocking list returns when a policy is written, and a read when it changes', async () => {
    await admin.acl.policyUpsert({ Name: 'readonly', Rules: READ_DEFAULT });
    const { meta } = await admin.acl.policies();
    const started = Date.now();
    const list = admin.acl.policies({ index: meta.lastIndex, wait: '10s' });
    const read = admin.acl.policyInfo('readonly', { index: meta.lastIndex, wait: '10s' });
    setTimeout(
      () => void admin.acl.policyUpsert({ Name: 'readonly', Description: 'new', Rules: '' }),
      100,
    );
    expect((await list).meta.lastIndex).toBeGreaterThan(meta.lastIndex);
    expect((await read).data.Description).toBe('new');
    expect(Date.now() - started).toBeLessThan(9_000);
  });

  test("a blocking list re-checks its caller: it ends with 403 when the caller's token goes", async () => {
    await admin.acl.policyUpsert({ Name: 'readonly', Rules: READ_DEFAULT });
    const token = await tokenHolding('readonly');
    const dev = server.clientFor({ token: token.SecretID });
    const { meta } = await dev.acl.policies();
    const waiting = failure(dev.acl.policies({ index: meta.lastIndex, wait: '10s' }));
    setTimeout(() => void admin.acl.tokenDelete(token.AccessorID), 100);
    const error = await waiting;
    expect([error.status, error.message]).toEqual([403, 'Permission denied']);
  });
});
