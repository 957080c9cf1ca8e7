import { expect, test } from 'vitest';
import { BerthApiError, createClient } from './index.js';
import { fakeFetch, json, text } from './test-support/fake-fetch.js';

const TOKEN = {
  AccessorID: 'aa534e09-6a07-0a45-2295-a7f77063d429',
  SecretID: '8176afd3-772d-0b71-8f85-7fa5d903e9d4',
  Name: 'Readonly token',
  Type: 'client',
  Policies: ['readonly'],
  Global: false,
  Hash: 'UJ9mD1c0xXCvlH0Nyq3V2vkY6hFLv7bv5nJ0r4cKi6Q=',
  CreateTime: '2017-08-23T23:25:41.429154233Z',
  ExpirationTTL: '',
  CreateIndex: 52,
  ModifyIndex: 52,
};

test('bootstrap PUTs no body, or the chosen secret, and answers the management token', async () => {
  const { fetch, sent } = fakeFetch(() =>
    json({ ...TOKEN, Type: 'management', Policies: null }, { 'X-Nomad-Index': '7' }),
  );
  const client = createClient({ address: 'http://h', fetch });
  const first = await client.acl.bootstrap();
  await client.acl.bootstrap('2b778dd9-f5f1-6f29-b4b4-9a5fa948757a');
  expect(sent.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
    'PUT /v1/acl/bootstrap',
    'PUT /v1/acl/bootstrap',
  ]);
  expect(sent[0]!.body).toBeUndefined();
  expect(JSON.parse(sent[1]!.body!)).toEqual({
    BootstrapSecret: '2b778dd9-f5f1-6f29-b4b4-9a5fa948757a',
  });
  expect(first.data).toMatchObject({ Type: 'management', Roles: null, ExpirationTime: null });
  expect(first.meta.lastIndex).toBe(7);
});

test('policies: list and read, upsert under the name, delete; writes answer the index', async () => {
  const { fetch, sent } = fakeFetch((req) => {
    if (req.method !== 'GET') {
      return new Response(null, { status: 200, headers: { 'X-Nomad-Index': '12' } });
    }
    return req.url.pathname === '/v1/acl/policies'
      ? json([{ Name: 'readonly', Hash: 'AAEC', CreateIndex: 3, ModifyIndex: 4 }], {
          'X-Nomad-Index': '4',
        })
      : json({ Name: 'readonly', Rules: 'namespace "default" { policy = "read" }' });
  });
  const client = createClient({ address: 'http://h', fetch, token: 'secret' });
  const list = await client.acl.policies({ prefix: 'read' });
  const { data: policy } = await client.acl.policyInfo('readonly');
  const upserted = await client.acl.policyUpsert({
    Name: 'readonly',
    Description: 'Read jobs',
    Rules: 'namespace "default" { policy = "read" }',
  });
  const deleted = await client.acl.policyDelete('readonly');
  expect(sent.map((r) => `${r.method} ${r.url.pathname}${r.url.search}`)).toEqual([
    'GET /v1/acl/policies?prefix=read',
    'GET /v1/acl/policy/readonly',
    'PUT /v1/acl/policy/readonly',
    'DELETE /v1/acl/policy/readonly',
  ]);
  expect(sent.every((r) => r.headers.get('X-Nomad-Token') === 'secret')).toBe(true);
  expect(list.data).toEqual([
    {
      Name: 'readonly',
      Description: '',
      JobACL: null,
      Hash: 'AAEC',
      CreateIndex: 3,
      ModifyIndex: 4,
    },
  ]);
  expect(list.meta.lastIndex).toBe(4);
  expect(policy).toMatchObject({ Name: 'readonly', RulesJSON: null, Description: '' });
  expect(JSON.parse(sent[2]!.body!)).toEqual({
    Name: 'readonly',
    Description: 'Read jobs',
    Rules: 'namespace "default" { policy = "read" }',
  });
  expect(upserted.meta.lastIndex).toBe(12);
  expect(deleted.meta.lastIndex).toBe(12);
});

test('tokens: create, update by accessor, read, self, list and delete', async () => {
  const { fetch, sent } = fakeFetch((req) => {
    if (req.method === 'DELETE') {
      return new Response(null, { status: 200, headers: { 'X-Nomad-Index': '60' } });
    }
    if (req.url.pathname === '/v1/acl/tokens') {
      const stub: Record<string, unknown> = { ...TOKEN };
      delete stub.SecretID;
      delete stub.ExpirationTTL;
      return json([stub]);
    }
    return json(TOKEN, { 'X-Nomad-Index': '52' });
  });
  const client = createClient({ address: 'http://h', fetch });
  const created = await client.acl.tokenCreate({
    Name: 'Readonly token',
    Type: 'client',
    Policies: ['readonly'],
    ExpirationTTL: '1h',
  });
  await client.acl.tokenUpdate({ AccessorID: TOKEN.AccessorID, Name: 'x', Type: 'client' });
  const info = await client.acl.tokenInfo(TOKEN.AccessorID, { index: 50 });
  const self = await client.acl.tokenSelf({}, { token: TOKEN.SecretID });
  const list = await client.acl.tokens({ per_page: 10 });
  const deleted = await client.acl.tokenDelete(TOKEN.AccessorID);
  expect(sent.map((r) => `${r.method} ${r.url.pathname}${r.url.search}`)).toEqual([
    'PUT /v1/acl/token',
    `PUT /v1/acl/token/${TOKEN.AccessorID}`,
    `GET /v1/acl/token/${TOKEN.AccessorID}?index=50`,
    'GET /v1/acl/token/self',
    'GET /v1/acl/tokens?per_page=10',
    `DELETE /v1/acl/token/${TOKEN.AccessorID}`,
  ]);
  expect(JSON.parse(sent[0]!.body!)).toEqual({
    Name: 'Readonly token',
    Type: 'client',
    Policies: ['readonly'],
    ExpirationTTL: '1h',
  });
  expect(JSON.parse(sent[1]!.body!)).toMatchObject({ AccessorID: TOKEN.AccessorID });
  expect(sent[3]!.headers.get('X-Nomad-Token')).toBe(TOKEN.SecretID);
  expect(created.data).toEqual({ ...TOKEN, Roles: null, ExpirationTime: null });
  expect(created.meta.lastIndex).toBe(52);
  expect(info.data.SecretID).toBe(TOKEN.SecretID);
  expect(self.data.AccessorID).toBe(TOKEN.AccessorID);
  expect(list.data[0]).not.toHaveProperty('SecretID');
  expect(list.data[0]).toMatchObject({ AccessorID: TOKEN.AccessorID, Policies: ['readonly'] });
  expect(deleted.meta.lastIndex).toBe(60);
});

test("a refused call throws the server's text; an answer of the wrong shape is refused", async () => {
  const { fetch } = fakeFetch((req) =>
    req.url.pathname === '/v1/acl/bootstrap'
      ? text(400, 'ACL bootstrap already done (reset index: 0)')
      : json({ AccessorID: 'a', Type: 'root' }),
  );
  const client = createClient({ address: 'http://h', fetch });
  const err = await client.acl.bootstrap().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(BerthApiError);
  expect(err).toMatchObject({
    status: 400,
    message: 'ACL bootstrap already done (reset index: 0)',
  });
  await expect(client.acl.tokenSelf()).rejects.toThrow(/GET \/v1\/acl\/token\/self/);
});

test("policySelf GETs the static self path with the call's token; Nomad's null reads as []", async () => {
  const answers = [
    json([{ Name: 'readonly', CreateIndex: 3, ModifyIndex: 4 }], { 'X-Nomad-Index': '4' }),
    json(null, { 'X-Nomad-Index': '9' }),
    json(null),
  ];
  const { fetch, sent } = fakeFetch(() => answers.shift()!);
  const client = createClient({ address: 'http://h', fetch, token: 'default-secret' });
  const own = await client.acl.policySelf({ prefix: 'read', index: 3 }, { token: TOKEN.SecretID });
  const none = await client.acl.policySelf();
  const raw = createClient({ address: 'http://h', fetch, validateResponse: false });
  expect((await raw.acl.policySelf()).data).toEqual([]);
  expect(sent.map((r) => `${r.method} ${r.url.pathname}${r.url.search}`)).toEqual([
    'GET /v1/acl/policy/self?prefix=read&index=3',
    'GET /v1/acl/policy/self',
    'GET /v1/acl/policy/self',
  ]);
  expect(sent.map((r) => r.headers.get('X-Nomad-Token'))).toEqual([
    TOKEN.SecretID,
    'default-secret',
    null,
  ]);
  expect(own.data).toEqual([
    { Name: 'readonly', Description: '', JobACL: null, Hash: null, CreateIndex: 3, ModifyIndex: 4 },
  ]);
  expect(own.meta.lastIndex).toBe(4);
  expect(none.data).toEqual([]);
  expect(none.meta.lastIndex).toBe(9);
});
