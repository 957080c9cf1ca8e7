// What users write that berth must read as Nomad does: regular expressions (the list filter's
// `matches`, a constraint's `regexp`) are Go's, with RE2 syntax, linear-time matching and Go's error
// texts; filter selectors resolve as go-bexpr's.
import { BerthApiError } from '@berth/client';
import type { JobListStub } from '@berth/contract';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { seed, startTestServer, type TestServer } from '../../test-support/harness.js';
import { mockAlloc, mockJob, mockNode } from '../../test-support/mock.js';
import { waitForState } from '../../test-support/wait-for-state.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ scheduling: true });
  const linux = mockNode().Attributes;
  await seed(server.store, {
    nodes: [mockNode({ Attributes: { ...linux, 'kernel.name': 'Linux' } })],
  });
});
afterEach(() => server.close());

const job = (ID: string, constraint?: { Operand: string; RTarget: string }) => ({
  ID,
  Datacenters: ['dc1'],
  Constraints: constraint ? [{ LTarget: '${attr.kernel.name}', ...constraint }] : null,
  TaskGroups: [{ Name: 'web', Count: 1, Tasks: [{ Name: 'web', Driver: 'raw_exec' }] }],
});

async function listFiltered(filter: string) {
  return server.inject({ method: 'GET', url: `/v1/jobs?filter=${encodeURIComponent(filter)}` });
}

describe('GET /v1/jobs?filter= with matches', () => {
  test('nested quantifiers over a long ID answer at once, and correctly', async () => {
    const id = `${'a'.repeat(30)}!`;
    await server.client.jobs.register(job(id));

    const none = await listFiltered('ID matches "^(a+)+$"');
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual([]);

    const one = await listFiltered('ID matches "^(a+)+!$"');
    expect(one.statusCode).toBe(200);
    expect(one.json<JobListStub[]>().map((s) => s.ID)).toEqual([id]);
  });

  test("a pattern Go refuses is a 400 with Go's text", async () => {
    await server.client.jobs.register(job('web'));
    const res = await listFiltered('ID matches "w(?=eb)"');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toBe(
      'failed to read result page: failed to compile regular expression "w(?=eb)": error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
    );
  });
});

describe('PUT /v1/jobs with a regexp constraint', () => {
  test('a Go pattern such as (?i)linux registers and places on a node whose kernel is "Linux"', async () => {
    const { data } = await server.client.jobs.register(
      job('web', { Operand: 'regexp', RTarget: '(?i)linux' }),
    );
    expect(server.store.jobByID('default', 'web')?.Constraints).toEqual([
      { LTarget: '${attr.kernel.name}', Operand: 'regexp', RTarget: '(?i)linux' },
    ]);
    await waitForState(
      server.store,
      () => server.store.evalByID(data.EvalID)?.Status === 'complete',
    );
    const { data: allocs } = await server.client.jobs.allocations('web');
    expect(allocs).toHaveLength(1);
  });

  test("a pattern Go refuses is refused at registration with Nomad's text, and nothing is written", async () => {
    const before = server.store.latestIndex();
    const error = await server.client.jobs
      .register(job('web', { Operand: 'regexp', RTarget: 'lin(?=ux)' }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(BerthApiError);
    expect((error as BerthApiError).status).toBe(400);
    expect((error as BerthApiError).message).toContain(
      'Regular expression failed to compile: error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
    );
    expect(server.store.latestIndex()).toBe(before);
  });
});

describe('GET /v1/allocations?filter= selectors', () => {
  test("a null Job.TaskGroups is a nil list: indexing it is go-bexpr's out-of-range error", async () => {
    await seed(server.store, { allocs: [mockAlloc({ Job: mockJob({ TaskGroups: null }) })] });
    const url = `/v1/allocations?filter=${encodeURIComponent('Job.TaskGroups.0 == web')}`;
    const res = await server.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toBe(
      'failed to read result page: error finding value in datum: /Job/TaskGroups/0 at part 2: index 0 is out of range (length = 0)',
    );
  });

  test('the JSON pointer "" names the key "", which an allocation does not have', async () => {
    await seed(server.store, { allocs: [mockAlloc()] });
    const res = await server.inject({
      method: 'GET',
      url: `/v1/allocations?filter=${encodeURIComponent('"" == x')}`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe(
      'failed to read result page: error finding value in datum: / at part 0: couldn\'t find key: struct field with name ""',
    );
  });
});
