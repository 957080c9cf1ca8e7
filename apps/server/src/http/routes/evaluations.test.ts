import { BerthApiError } from '@berth/client';
import type { Evaluation } from '@berth/contract';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { seed, startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockAlloc, mockEval } from '../../test-support/mock.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

async function failure(promise: Promise<unknown>): Promise<BerthApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BerthApiError);
  return err as BerthApiError;
}

/** Evaluations written one per write, so their CreateIndex orders them. */
async function seedEach(evals: Evaluation[]): Promise<number[]> {
  const indexes: number[] = [];
  for (const e of evals) indexes.push(await seed(server.store, { evals: [e] }));
  return indexes;
}

describe('GET /v1/evaluations', () => {
  test('lists the namespace’s evaluations oldest first, at the evals table’s index', async () => {
    const a = mockEval({ JobID: 'web' });
    const b = mockEval({ JobID: 'api', Status: 'blocked' });
    const other = mockEval({ Namespace: 'other' });
    const [, , last] = await seedEach([a, b, other]);
    const { data, meta } = await server.client.evaluations.list();
    expect(data.map((e) => e.ID)).toEqual([a.ID, b.ID]);
    expect(meta.lastIndex).toBe(last);
    expect(meta.knownLeader).toBe(true);

    const all = await server.client.evaluations.list({ namespace: '*' });
    expect(all.data.map((e) => e.ID)).toEqual([a.ID, b.ID, other.ID]);
    const reversed = await server.client.evaluations.list({ namespace: '*', reverse: true });
    expect(reversed.data.map((e) => e.ID)).toEqual([other.ID, b.ID, a.ID]);
  });

  test('filters by job, status, ID prefix and filter expression', async () => {
    const a = mockEval({ ID: 'aaaa1111-0000-4000-8000-000000000001', JobID: 'web' });
    const b = mockEval({
      ID: 'bbbb1111-0000-4000-8000-000000000002',
      JobID: 'api',
      Status: 'blocked',
    });
    await seedEach([a, b]);
    const ids = async (query: Parameters<TestServer['client']['evaluations']['list']>[0]) =>
      (await server.client.evaluations.list(query)).data.map((e) => e.ID);
    expect(await ids({ job: 'web' })).toEqual([a.ID]);
    expect(await ids({ status: 'blocked' })).toEqual([b.ID]);
    expect(await ids({ prefix: 'bbbb' })).toEqual([b.ID]);
    expect(await ids({ filter: 'JobID == "api"' })).toEqual([b.ID]);
  });

  test('pages with per_page and next_token', async () => {
    const evals = [mockEval(), mockEval(), mockEval()];
    const indexes = await seedEach(evals);
    const first = await server.client.evaluations.list({ per_page: 2 });
    expect(first.data.map((e) => e.ID)).toEqual([evals[0]!.ID, evals[1]!.ID]);
    expect(first.meta.nextToken).toBe(`${indexes[2]}.${evals[2]!.ID}`);
    const second = await server.client.evaluations.list({
      per_page: 2,
      next_token: first.meta.nextToken,
    });
    expect(second.data.map((e) => e.ID)).toEqual([evals[2]!.ID]);
    expect(second.meta.nextToken).toBe('');
  });

  test('answers 400 with Nomad’s texts for bad filters and prefixes', async () => {
    const both = await failure(
      server.client.evaluations.list({ filter: 'JobID == "x"', job: 'x' }),
    );
    expect([both.status, both.message]).toEqual([
      400,
      'Filter expression cannot be used with other filter parameters',
    ]);
    const prefix = await failure(server.client.evaluations.list({ prefix: 'xyz' }));
    expect([prefix.status, prefix.message]).toEqual([
      400,
      'eval lookup failed: index error: Input (without hyphens) must be even length',
    ]);
    const parse = await failure(server.client.evaluations.list({ filter: 'JobID ==' }));
    expect(parse.status).toBe(400);
    expect(parse.message).toMatch(
      /^failed to create result paginator: failed to read filter expression: /,
    );
  });

  test('blanks the leader’s ACL token', async () => {
    const e = mockEval({ LeaderACL: 'secret-token' });
    await seed(server.store, { evals: [e] });
    const [listed] = (await server.client.evaluations.list()).data;
    expect(listed?.LeaderACL).toBe('');
    expect((await server.client.evaluations.info(e.ID)).data.LeaderACL).toBe('');
  });

  test('blocks until an evaluation is written past the index', async () => {
    const index = await seed(server.store, { evals: [mockEval()] });
    const waiting = server.client.evaluations.list({ index, wait: '10s' });
    const later = mockEval();
    const written = await seed(server.store, { evals: [later] });
    const { data, meta } = await waiting;
    expect(meta.lastIndex).toBe(written);
    expect(data.map((e) => e.ID)).toContain(later.ID);
  });
});

describe('GET /v1/evaluation/:id', () => {
  test('reads one evaluation at its ModifyIndex, with every field', async () => {
    const e = mockEval({ TriggeredBy: 'job-register', QueuedAllocations: { web: 2 } });
    const index = await seed(server.store, { evals: [e] });
    const { data, meta } = await server.client.evaluations.info(e.ID);
    expect(meta.lastIndex).toBe(index);
    expect(data).toMatchObject({
      ID: e.ID,
      TriggeredBy: 'job-register',
      Status: 'pending',
      QueuedAllocations: { web: 2 },
      FailedTGAllocs: null,
      BlockedEval: '',
      CreateIndex: index,
      ModifyIndex: index,
    });
  });

  test('answers 404 `eval not found`, and 400 for a malformed ID', async () => {
    const missing = await failure(
      server.client.evaluations.info('00000000-0000-4000-8000-000000000000'),
    );
    expect([missing.status, missing.message]).toEqual([404, 'eval not found']);
    const bad = await failure(server.client.evaluations.info('nope'));
    expect([bad.status, bad.message]).toEqual([
      400,
      'eval lookup failed: index error: UUID must be 36 characters',
    ]);
  });

  test('with related=true, lists the evaluations linked to it', async () => {
    const first = mockEval({ JobID: 'web', Status: 'complete' });
    const blocked = mockEval({ JobID: 'web', Status: 'blocked', PreviousEval: first.ID });
    await seed(server.store, {
      evals: [{ ...first, BlockedEval: blocked.ID }, blocked, mockEval({ JobID: 'web' })],
    });
    const { data } = await server.client.evaluations.info(first.ID, { related: 'true' });
    expect(data.RelatedEvals?.map((e) => e.ID)).toEqual([blocked.ID]);
    const plain = await server.client.evaluations.info(first.ID);
    expect(plain.data.RelatedEvals).toBeNull();
  });
});

describe('GET /v1/evaluation/:id/allocations', () => {
  test('lists the stubs of the allocations the evaluation placed', async () => {
    const e = mockEval();
    const mine = [mockAlloc({ EvalID: e.ID }), mockAlloc({ EvalID: e.ID })];
    const index = await seed(server.store, { evals: [e], allocs: [...mine, mockAlloc()] });
    const { data, meta } = await server.client.evaluations.allocations(e.ID);
    expect(data.map((a) => a.ID).sort()).toEqual(mine.map((a) => a.ID).sort());
    expect(data[0]).toMatchObject({ EvalID: e.ID, JobType: 'service' });
    expect(meta.lastIndex).toBe(index);
    expect((await server.client.evaluations.allocations(mockEval().ID)).data).toEqual([]);
  });
});
