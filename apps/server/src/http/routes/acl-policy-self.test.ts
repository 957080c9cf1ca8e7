// GET /v1/acl/policy/self over HTTP, through the client: the caller's own policy stubs, as Nomad's
// aclSelfPolicy answers an ACL token (ACL.ListPolicies), and its refusals of every other caller.
import type { AclToken, Node } from '@berth/contract';
import type { BerthClient } from '@berth/client';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { failure } from '../../test-support/api-failure.js';
import { startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockNode } from '../../test-support/mock.js';

const READ_DEFAULT = 'namespace "default" {\n  policy = "read"\n}\n';

describe('ACL policy self with ACLs on', () => {
  let server: TestServer;
  let root: AclToken;
  let admin: BerthClient;

  beforeEach(async () => {
    server = await startTestServer({ aclEnabled: true });
    root = (await server.client.acl.bootstrap()).data;
    admin = server.clientFor({ token: root.SecretID });
    for (const name of ['readonly', 'deploy', 'anonymous', 'deploy-prod']) {
      await admin.acl.policyUpsert({
        Name: name,
        Description: `${name} policy`,
        Rules: READ_DEFAULT,
      });
    }
  });
  afterEach(() => server.close());

  const tokenHolding = async (...policies: string[]) =>
    (await admin.acl.tokenCreate({ Name: 'dev', Type: 'client', Policies: policies })).data;

  test('a management token gets every policy as a stub, in name order, with the index', async () => {
    const { data, meta } = await admin.acl.policySelf();
    expect(data.map((p) => p.Name)).toEqual(['anonymous', 'deploy', 'deploy-prod', 'readonly']);
    expect(data).toEqual((await admin.acl.policies()).data);
    expect(data[0]).toEqual({
      Name: 'anonymous',
      Description: 'anonymous policy',
      JobACL: null,
      Hash: expect.any(String) as unknown,
      CreateIndex: expect.any(Number) as unknown,
      ModifyIndex: expect.any(Number) as unknown,
    });
    expect(data[0]).not.toHaveProperty('Rules');
    expect(meta.lastIndex).toBe(Math.max(...data.map((p) => p.ModifyIndex)));
    expect(meta.knownLeader).toBe(true);
    const prefixed = await admin.acl.policySelf({ prefix: 'deploy' });
    expect(prefixed.data.map((p) => p.Name)).toEqual(['deploy', 'deploy-prod']);
  });

  test('a client token gets the policies it names that exist, and only those', async () => {
    const dev = server.clientFor({ token: (await tokenHolding('readonly', 'missing')).SecretID });
    expect((await dev.acl.policySelf()).data.map((p) => p.Name)).toEqual(['readonly']);
    // Holding none that exists is an empty list, not a refusal.
    const lost = server.clientFor({ token: (await tokenHolding('missing')).SecretID });
    expect((await lost.acl.policySelf()).data).toEqual([]);
    const raw = await server.inject({
      method: 'GET',
      url: '/v1/acl/policy/self',
      headers: { 'x-nomad-token': (await tokenHolding('missing')).SecretID },
    });
    expect([raw.statusCode, raw.body]).toEqual([200, '[]']);
  });

  test('without a token it is refused, though the anonymous policy exists', async () => {
    const error = await failure(server.client.acl.policySelf());
    expect([error.status, error.message]).toEqual([403, 'Permission denied']);
    // The anonymous caller may still list the anonymous policy through the policies list.
    expect((await server.client.acl.policies()).data.map((p) => p.Name)).toEqual(['anonymous']);
  });

  test('unknown, malformed and expired secrets and a node’s secret are refused', async () => {
    const expired = await tokenHolding('readonly');
    await server.store.write((tx) =>
      tx.upsertAclToken({ ...expired, ExpirationTime: new Date(Date.now() - 1000).toISOString() }),
    );
    const nodeSecret = '11111111-2222-4333-8444-555555555555';
    const node = { ...mockNode(), SecretID: nodeSecret } as Node;
    await server.store.write((tx) => tx.upsertNode(node));
    const secrets = [
      '00000000-0000-4000-8000-000000000000',
      'not-a-uuid',
      expired.SecretID,
      nodeSecret,
    ];
    for (const secret of secrets) {
      const error = await failure(server.clientFor({ token: secret }).acl.policySelf());
      expect([secret, error.status, error.message]).toEqual([secret, 403, 'Permission denied']);
    }
  });

  test('a blocking query returns when a policy the token holds is written', async () => {
    const dev = server.clientFor({ token: (await tokenHolding('readonly', 'later')).SecretID });
    const { meta } = await dev.acl.policySelf();
    const started = Date.now();
    const waiting = dev.acl.policySelf({ index: meta.lastIndex, wait: '10s' });
    setTimeout(() => void admin.acl.policyUpsert({ Name: 'later', Rules: READ_DEFAULT }), 100);
    const { data, meta: after } = await waiting;
    expect(data.map((p) => p.Name)).toEqual(['later', 'readonly']);
    expect(after.lastIndex).toBeGreaterThan(meta.lastIndex);
    expect(Date.now() - started).toBeLessThan(9_000);
  });

  test('other methods answer 405 and change nothing: no policy named self can be written', async () => {
    const before = server.store.latestIndex();
    const body = JSON.stringify({ Name: 'self', Rules: READ_DEFAULT });
    for (const method of ['POST', 'PUT', 'DELETE', 'HEAD'] as const) {
      const res = await server.inject({
        method,
        url: '/v1/acl/policy/self',
        payload: method === 'HEAD' ? undefined : body,
        headers: { 'x-nomad-token': root.SecretID },
      });
      expect([method, res.statusCode]).toEqual([method, 405]);
      if (method !== 'HEAD') expect(res.body).toBe('Invalid method');
    }
    expect(server.store.latestIndex()).toBe(before);
    expect((await admin.acl.policies()).data.map((p) => p.Name)).not.toContain('self');
  });
});

describe('ACL policy self with ACLs off', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(() => server.close());

  test('answers ACL support disabled, with or without a token', async () => {
    for (const token of [undefined, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const error = await failure(server.clientFor({ token }).acl.policySelf());
      expect([error.status, error.message]).toEqual([400, 'ACL support disabled']);
    }
  });
});
