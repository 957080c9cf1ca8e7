// What client.jobs.versions sends (Nomad's VersionsOpts query) and how it reads the answer.
import { expect, test } from 'vitest';
import { BerthApiError } from './errors.js';
import { createClient } from './index.js';
import { fakeFetch, json, text } from './test-support/fake-fetch.js';

const edited = {
  Type: 'Edited',
  ID: 'a/b',
  Fields: [{ Type: 'Edited', Name: 'Priority', Old: '50', New: '70', Annotations: null }],
  Objects: null,
  TaskGroups: [
    {
      Type: 'Edited',
      Name: 'web',
      Fields: null,
      Objects: [
        {
          Type: 'Edited',
          Name: 'Config',
          Fields: [{ Type: 'Added', Name: 'args[1]', Old: '', New: '-v', Annotations: null }],
          Objects: null,
        },
      ],
      Tasks: null,
      Updates: null,
    },
  ],
};

test('versions sends diffs and diff_version and reads the versions with their diffs', async () => {
  const body = {
    Versions: [
      { ID: 'a/b', Version: 1, Priority: 70 },
      { ID: 'a/b', Version: 0, Priority: 50 },
    ],
    Diffs: [edited],
    Index: 12,
    LastContact: 0,
    KnownLeader: true,
    NextToken: '',
  };
  const { fetch, sent } = fakeFetch(() => json(body, { 'X-Nomad-Index': '12' }));
  const client = createClient({ address: 'http://h', namespace: 'web', fetch });
  const { data, meta } = await client.jobs.versions('a/b', { diffs: true, diff_version: 0 });
  const req = sent[0]!;
  expect(`${req.method} ${req.url.pathname}`).toBe('GET /v1/job/a%2Fb/versions');
  expect(Object.fromEntries(req.url.searchParams)).toEqual({
    namespace: 'web',
    diffs: 'true',
    diff_version: '0',
  });
  expect(data.Versions.map((v) => [v.Version, v.Priority])).toEqual([
    [1, 70],
    [0, 50],
  ]);
  // The nested object diffs are read as sent (the schema is recursive).
  expect(data.Diffs).toEqual([edited]);
  expect(meta.lastIndex).toBe(12);
});

test('versions without diffs reads Diffs as null, absent fields as Go zero values', async () => {
  const { fetch } = fakeFetch(() => json({ Versions: [{ ID: 'x', Version: 0 }] }));
  const client = createClient({ address: 'http://h', fetch });
  const { data } = await client.jobs.versions('x');
  expect(data.Diffs).toBeNull();
  expect([data.Index, data.KnownLeader, data.NextToken]).toEqual([0, false, '']);
});

test("a missing job is a BerthApiError with Nomad's text", async () => {
  const { fetch } = fakeFetch(() => text(404, 'job versions not found'));
  const client = createClient({ address: 'http://h', fetch });
  const error = await client.jobs.versions('nope').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BerthApiError);
  expect((error as BerthApiError).message).toBe('job versions not found');
  expect((error as BerthApiError).status).toBe(404);
});
