// berth's bounds on what one list request may cost (README departures): filter patterns past the
// length or complexity limit, a match too costly for the value it is tried on, and lists built
// in time slices that still answer the same pages.
import type { AllocListStub } from '@berth/contract';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { MAX_PATTERN_BYTES } from '../../regexp/pattern-cost.js';
import { seed, startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockAlloc, mockJob } from '../../test-support/mock.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const list = (query: string) => server.inject({ method: 'GET', url: `/v1/allocations?${query}` });
const filtered = (filter: string, more = '') => list(`filter=${encodeURIComponent(filter)}${more}`);

describe('GET /v1/allocations?filter= with a costly pattern', () => {
  test('a pattern over the length limit is a 400 that says the limit, even with nothing to list', async () => {
    const res = await filtered(`ID matches "${'a'.repeat(MAX_PATTERN_BYTES + 1)}"`);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toBe(
      'failed to create result paginator: failed to read filter expression: regular expression ' +
        `too long: ${MAX_PATTERN_BYTES + 1} bytes (berth's limit is ${MAX_PATTERN_BYTES})`,
    );
  });

  test('a short pattern whose repetitions expand too far is a 400, inside any/all too', async () => {
    const res = await filtered(
      'any TaskStates as _, s { s.State matches "\\\\pL{0,1000}\\\\pL{0,1000}" }',
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(
      /^failed to create result paginator: failed to read filter expression: regular expression too complex: about \d+ instructions .*\(berth's limit is 3000\)$/,
    );
  });

  test('a large pattern against a long value is refused for that value; short values match', async () => {
    const longMeta = mockJob({ Meta: { note: 'x'.repeat(5000) } });
    const shortMeta = mockJob({ Meta: { note: 'xyz' } });
    await seed(server.store, { allocs: [mockAlloc({ Job: shortMeta })] });
    const pattern = '[\\\\pL\\\\pN]{0,1000}$';
    const ok = await filtered(`Job.Meta.note matches "${pattern}"`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json<AllocListStub[]>()).toHaveLength(1);

    await seed(server.store, { allocs: [mockAlloc({ Job: longMeta })] });
    const res = await filtered(`Job.Meta.note matches "${pattern}"`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(
      /^failed to read result page: regular expression too costly to match against a value of 5000 characters: /,
    );
  });
});

describe('GET /v1/allocations, built in time slices', () => {
  test('pages with a filter give every matching allocation once, in order, with next tokens', async () => {
    const allocs = Array.from({ length: 3000 }, (_, i) =>
      mockAlloc({ Name: `web.web[${i}]`, ClientStatus: i % 3 === 0 ? 'failed' : 'running' }),
    );
    await seed(server.store, { allocs });
    const expected = allocs
      .filter((a) => a.ClientStatus === 'running')
      .map((a) => a.ID)
      .sort();
    const filter = 'ClientStatus == "running" and Name matches "^web\\\\.web\\\\[\\\\d+\\\\]$"';

    const seen: string[] = [];
    let token = '';
    for (let pages = 0; pages < 10; pages++) {
      const res = await filtered(filter, `&per_page=700&task_states=false&next_token=${token}`);
      expect(res.statusCode).toBe(200);
      seen.push(...res.json<AllocListStub[]>().map((s) => s.ID));
      token = (res.headers['x-nomad-nexttoken'] as string | undefined) ?? '';
      if (token === '') break;
    }
    // Seeded in one write, so CreateIndex order is ID order.
    expect(seen).toEqual(expected);
  });

  test('a blocking list with a filter answers after a write, with the new index', async () => {
    const first = await seed(server.store, { allocs: [mockAlloc({ ClientStatus: 'running' })] });
    const pending = filtered('ClientStatus == "running"', `&index=${first}&wait=10s`);
    const second = await seed(server.store, { allocs: [mockAlloc({ ClientStatus: 'running' })] });
    const res = await pending;
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-nomad-index']).toBe(String(second));
    expect(res.json<AllocListStub[]>()).toHaveLength(2);
  });
});

describe('GET /v1/jobs?filter=, built in time slices', () => {
  test('a blocking list woken by a job its filter leaves out answers with a newer index, at once', async () => {
    const job = (ID: string) => ({
      ID,
      Datacenters: ['dc1'],
      TaskGroups: [{ Name: 'web', Count: 1, Tasks: [{ Name: 'web', Driver: 'raw_exec' }] }],
    });
    await server.client.jobs.register(job('a'));
    await server.client.jobs.register(job('b'));
    const url = `/v1/jobs?filter=${encodeURIComponent('ID == "a"')}`;
    const first = await server.inject({ method: 'GET', url });
    const index = Number(first.headers['x-nomad-index']);

    const pending = server.inject({ method: 'GET', url: `${url}&index=${index}&wait=20s` });
    // An allocation of `b` changes b's summary, not the jobs table.
    const b = server.store.jobByID('default', 'b')!;
    await seed(server.store, { allocs: [mockAlloc({ Job: b, JobID: 'b', Namespace: 'default' })] });
    const res = await pending;
    expect(res.statusCode).toBe(200);
    expect(res.json<{ ID: string }[]>().map((j) => j.ID)).toEqual(['a']);
    // Answering with the index it was given would send the client straight back, again and again.
    expect(Number(res.headers['x-nomad-index'])).toBeGreaterThan(index);
  });
});
