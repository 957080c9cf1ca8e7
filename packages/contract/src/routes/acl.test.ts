import { expect, test } from 'vitest';
import { ACL_ONE_TIME_TOKEN_METHODS, ACL_ONE_TIME_TOKEN_PATHS, contract } from './index.js';

const firstError = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.success ? undefined : r.error?.issues[0]?.message;

test('ACL routes follow Nomad paths and methods, writes with POST and PUT twins', () => {
  const routes = Object.entries(contract.acl).map(([k, v]) => [k, `${v.method} ${v.path}`]);
  expect(routes).toEqual([
    ['bootstrap', 'POST /v1/acl/bootstrap'],
    ['bootstrapPut', 'PUT /v1/acl/bootstrap'],
    ['policies', 'GET /v1/acl/policies'],
    ['policySelf', 'GET /v1/acl/policy/self'],
    ['policyInfo', 'GET /v1/acl/policy/:name'],
    ['policyUpsert', 'POST /v1/acl/policy/:name'],
    ['policyUpsertPut', 'PUT /v1/acl/policy/:name'],
    ['policyDelete', 'DELETE /v1/acl/policy/:name'],
    ['tokens', 'GET /v1/acl/tokens'],
    ['tokenCreate', 'POST /v1/acl/token'],
    ['tokenCreatePut', 'PUT /v1/acl/token'],
    ['tokenSelf', 'GET /v1/acl/token/self'],
    ['tokenUpdate', 'POST /v1/acl/token/:accessor'],
    ['tokenUpdatePut', 'PUT /v1/acl/token/:accessor'],
    ['tokenInfo', 'GET /v1/acl/token/:accessor'],
    ['tokenDelete', 'DELETE /v1/acl/token/:accessor'],
  ]);
});

test('token self is a static route of its own, not the accessor route read with "self"', () => {
  const self = contract.acl.tokenSelf;
  expect(self.path).toBe('/v1/acl/token/self');
  expect(self.path).not.toContain(':');
  expect('pathParams' in self).toBe(false);
  // Every other route on that path is a parametric one, which the router ranks after it.
  const clashing = Object.values(contract).flatMap((router) =>
    Object.values(router as Record<string, { method: string; path: string }>).filter(
      (r) => r.method === 'GET' && r.path.startsWith('/v1/acl/token/'),
    ),
  );
  expect(clashing.map((r) => r.path).sort()).toEqual([
    '/v1/acl/token/:accessor',
    '/v1/acl/token/self',
  ]);
});

test('policy self is a static GET of its own, answering stubs or (from Nomad) null', () => {
  const self = contract.acl.policySelf;
  expect(`${self.method} ${self.path}`).toBe('GET /v1/acl/policy/self');
  expect('pathParams' in self).toBe(false);
  // The only other routes under /v1/acl/policy/ are the parametric ones it wins over.
  const under = Object.values(contract.acl)
    .filter((r) => r.path.startsWith('/v1/acl/policy/'))
    .map((r) => r.path);
  expect(new Set(under)).toEqual(new Set(['/v1/acl/policy/self', '/v1/acl/policy/:name']));
  expect(self.query.parse({ prefix: 'read', index: '3' })).toMatchObject({
    prefix: 'read',
    index: 3,
  });
  const answer = self.responses[200];
  expect(answer.parse([{ Name: 'readonly', CreateIndex: 3, ModifyIndex: 4 }])).toEqual([
    { Name: 'readonly', Description: '', JobACL: null, Hash: null, CreateIndex: 3, ModifyIndex: 4 },
  ]);
  expect(answer.parse(null)).toBeNull();
  expect(answer.safeParse({ Name: 'readonly' }).success).toBe(false);
});

test('one-time token paths are no routes of the contract (berth does not serve them)', () => {
  const paths = Object.values(contract).flatMap((router) =>
    Object.values(router as Record<string, { path: string }>).map((r) => r.path),
  );
  expect(ACL_ONE_TIME_TOKEN_PATHS).toEqual([
    '/v1/acl/token/onetime',
    '/v1/acl/token/onetime/exchange',
  ]);
  for (const path of ACL_ONE_TIME_TOKEN_PATHS) expect(paths).not.toContain(path);
  expect(ACL_ONE_TIME_TOKEN_METHODS).toEqual(['POST', 'PUT']);
});

test('ACL reads take the shared read options; writes the write options', () => {
  const { policies, tokens, tokenInfo, policyUpsert, tokenDelete } = contract.acl;
  expect(policies.query.parse({ prefix: 'read', index: '7', wait: '5s' })).toMatchObject({
    prefix: 'read',
    index: 7,
    wait: 5000,
  });
  expect(firstError(tokens.query.safeParse({ per_page: 'x' }))).toBe(
    'Expect a number for `per_page` query string parameter',
  );
  expect(firstError(tokenInfo.query.safeParse({ index: '-1' }))).toBe('Invalid index');
  // Writes never fail on their query (Nomad's parseWriteRequest), whatever else is in it.
  expect(policyUpsert.query.parse({ index: 'x', region: 'global' })).toEqual({
    namespace: 'default',
    region: 'global',
    idempotency_token: '',
  });
  expect(tokenDelete.query.parse({})).toMatchObject({ namespace: 'default' });
});

test('bodies: upsert and token writes require one; bootstrap takes none', () => {
  const { bootstrap, policyUpsertPut, tokenCreate, tokenUpdatePut } = contract.acl;
  expect(bootstrap.body.parse(undefined)).toEqual({ BootstrapSecret: '' });
  expect(firstError(policyUpsertPut.body.safeParse(undefined))).toBe('Request body is empty');
  expect(firstError(tokenCreate.body.safeParse(undefined))).toBe('Request body is empty');
  expect(tokenUpdatePut.body.parse({ AccessorID: 'a', Type: 'management' })).toMatchObject({
    AccessorID: 'a',
    Type: 'management',
    Policies: null,
  });
});

test("answers: a token as Nomad's MarshalJSON writes it, stubs and policies with zero values", () => {
  const token = contract.acl.tokenSelf.responses[200].parse({
    AccessorID: 'anonymous',
    SecretID: '',
    Name: 'Anonymous Token',
    Type: 'client',
    Policies: ['anonymous'],
    Roles: null,
    Global: false,
    Hash: null,
    CreateTime: '0001-01-01T00:00:00Z',
    ExpirationTTL: '',
    CreateIndex: 0,
    ModifyIndex: 0,
  });
  expect(token).toMatchObject({ ExpirationTime: null, ExpirationTTL: '', Hash: null });
  expect(
    contract.acl.tokens.responses[200].parse([{ AccessorID: 'a', Type: 'management' }]),
  ).toEqual([
    {
      AccessorID: 'a',
      Name: '',
      Type: 'management',
      Policies: null,
      Roles: null,
      Global: false,
      Hash: null,
      CreateTime: null,
      ExpirationTime: null,
      CreateIndex: 0,
      ModifyIndex: 0,
    },
  ]);
  expect(contract.acl.policyInfo.responses[200].parse({ Name: 'p', Rules: 'x' })).toEqual({
    Name: 'p',
    Description: '',
    Rules: 'x',
    RulesJSON: null,
    JobACL: null,
    Hash: null,
    CreateIndex: 0,
    ModifyIndex: 0,
  });
  expect(
    contract.acl.tokenInfo.responses[200].safeParse({ AccessorID: 'a', Type: 'root' }).success,
  ).toBe(false);
});
