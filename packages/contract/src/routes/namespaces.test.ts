import { expect, test } from 'vitest';
import { contract } from './index.js';

const firstError = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.success ? undefined : r.error?.issues[0]?.message;

test('namespace routes follow Nomad paths and methods, with text errors', () => {
  const routes = Object.entries(contract.namespaces).map(([k, v]) => [k, `${v.method} ${v.path}`]);
  expect(routes).toEqual([
    ['list', 'GET /v1/namespaces'],
    ['info', 'GET /v1/namespace/:name'],
    ['register', 'POST /v1/namespace/:name'],
    ['registerPut', 'PUT /v1/namespace/:name'],
    ['create', 'POST /v1/namespace'],
    ['createPut', 'PUT /v1/namespace'],
    ['delete', 'DELETE /v1/namespace/:name'],
  ]);
});

test('namespaces list takes the shared read options', () => {
  const q = contract.namespaces.list.query;
  expect(q.parse({ prefix: 'tea', index: '7', wait: '5s' })).toMatchObject({
    prefix: 'tea',
    index: 7,
    wait: 5000,
  });
  expect(firstError(q.safeParse({ wait: 'x' }))).toBe('Invalid wait time');
});

test('a namespace body decodes as Go decodes structs.Namespace', () => {
  const body = contract.namespaces.register.body;
  expect(
    body.parse({ name: 'team-a', Description: 'A', Meta: { owner: 'ops' }, Extra: 1 }),
  ).toEqual({ Name: 'team-a', Description: 'A', Quota: '', Meta: { owner: 'ops' } });
  expect(body.parse(undefined)).toEqual({ Name: '', Description: '', Quota: '', Meta: null });
  expect(firstError(body.safeParse({ Name: 5 }))).toBe(
    'Failed to decode body: json: cannot unmarshal number into Go struct field Namespace.Name of type string',
  );
  expect(firstError(body.safeParse({ Name: 'x', Meta: ['a'] }))).toBe(
    'Failed to decode body: json: cannot unmarshal array into Go struct field Namespace.Meta of type map[string]string',
  );
  expect(firstError(body.safeParse({ Name: 'x', Meta: { a: 1 } }))).toBe(
    'Failed to decode body: json: cannot unmarshal number into Go struct field Namespace.Meta of type string',
  );
  expect(firstError(body.safeParse([]))).toBe(
    'Failed to decode body: json: cannot unmarshal array into Go value of type structs.Namespace',
  );
});
