import { expect, test } from 'vitest';
import { BerthApiError, createClient } from './index.js';
import { fakeFetch, json, text } from './test-support/fake-fetch.js';

test('list and info read namespaces, with zero values for omitted fields', async () => {
  const { fetch, sent } = fakeFetch((req) =>
    req.url.pathname === '/v1/namespaces'
      ? json([{ Name: 'default', Description: 'Default shared namespace' }], {
          'X-Nomad-Index': '4',
        })
      : json({ Name: 'team/a', CreateIndex: 5, ModifyIndex: 6 }),
  );
  const client = createClient({ address: 'http://h', fetch });
  const list = await client.namespaces.list({ prefix: 'def', index: 3 });
  const { data: ns } = await client.namespaces.info('team/a');
  expect(sent.map((r) => `${r.method} ${r.url.pathname}${r.url.search}`)).toEqual([
    'GET /v1/namespaces?prefix=def&index=3',
    'GET /v1/namespace/team%2Fa',
  ]);
  expect(list.meta.lastIndex).toBe(4);
  expect(list.data).toEqual([
    {
      Name: 'default',
      Description: 'Default shared namespace',
      Quota: '',
      Meta: null,
      CreateIndex: 0,
      ModifyIndex: 0,
    },
  ]);
  expect(ns).toMatchObject({ Name: 'team/a', Description: '', ModifyIndex: 6 });
});

test('register PUTs the namespace under its name; delete answers the write index', async () => {
  const { fetch, sent } = fakeFetch(
    () => new Response(null, { status: 200, headers: { 'X-Nomad-Index': '9' } }),
  );
  const client = createClient({ address: 'http://h', fetch, token: 'secret' });
  const written = await client.namespaces.register({ Name: 'team-a', Meta: { owner: 'ops' } });
  const deleted = await client.namespaces.delete('team-a');
  expect(sent.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
    'PUT /v1/namespace/team-a',
    'DELETE /v1/namespace/team-a',
  ]);
  expect(JSON.parse(sent[0]!.body!)).toEqual({ Name: 'team-a', Meta: { owner: 'ops' } });
  expect(sent[1]!.headers.get('X-Nomad-Token')).toBe('secret');
  expect(written.meta.lastIndex).toBe(9);
  expect(deleted.meta.lastIndex).toBe(9);
});

test("a refused delete throws the server's text", async () => {
  const { fetch } = fakeFetch(() => text(400, 'can not delete default namespace'));
  const client = createClient({ address: 'http://h', fetch });
  const err = await client.namespaces.delete('default').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(BerthApiError);
  expect(err).toMatchObject({ status: 400, message: 'can not delete default namespace' });
});
