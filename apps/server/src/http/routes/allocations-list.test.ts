import { BerthApiError } from '@berth/client';
import { AllocListStubSchema } from '@berth/contract';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startTestServer, seed, type TestServer } from '../../test-support/harness.js';
import { mockAlloc, mockJob } from '../../test-support/mock.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => {
      if (!(error instanceof BerthApiError)) throw error;
      return { status: error.status, message: error.message };
    },
  );

describe('GET /v1/allocations', () => {
  test('an empty cluster lists [] at index 0, with the meta headers', async () => {
    const res = await server.inject({ method: 'GET', url: '/v1/allocations' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('[]');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['x-nomad-index']).toBe('0');
    expect(res.headers['x-nomad-knownleader']).toBe('true');
    expect(res.headers['x-nomad-lastcontact']).toBe('0');
    expect(res.headers['x-nomad-nexttoken']).toBeUndefined();
  });

  test('stubs carry exactly the stub fields, job type and version, and task states', async () => {
    const job = mockJob({ Version: 3 });
    const alloc = mockAlloc({ Job: job, PreviousAllocation: 'prev' });
    const index = await seed(server.store, { allocs: [alloc] });
    const { data, meta } = await server.client.allocations.list();
    expect(meta.lastIndex).toBe(index);
    const raw = JSON.parse(
      (await server.inject({ method: 'GET', url: '/v1/allocations' })).body,
    ) as Record<string, unknown>[];
    const expectedKeys = Object.keys(AllocListStubSchema.shape).filter(
      (k) => k !== 'AllocatedResources',
    );
    expect(Object.keys(raw[0]!).sort()).toEqual(expectedKeys.sort());
    expect(data[0]).toMatchObject({
      ID: alloc.ID,
      JobType: 'service',
      JobVersion: 3,
      PreviousAllocation: 'prev',
      CreateIndex: index,
      DesiredTransition: {
        Migrate: null,
        Reschedule: null,
        ForceReschedule: null,
        NoShutdownDelay: null,
        MigrateDisablePlacement: null,
      },
    });
  });

  test('resources and task_states choose the optional fields as Nomad does', async () => {
    const alloc = mockAlloc({
      TaskStates: { web: { State: 'running', Events: [{ Type: 'Started', Time: 1 }] } as never },
    });
    await seed(server.store, { allocs: [alloc] });
    const list = async (q: string) =>
      JSON.parse(
        (await server.inject({ method: 'GET', url: `/v1/allocations${q}` })).body,
      ) as Record<string, unknown>[];
    const [plain] = await list('');
    expect(plain).not.toHaveProperty('AllocatedResources');
    expect(plain!.TaskStates).not.toBeNull();
    const [withRes] = await list('?resources=true');
    expect(withRes!.AllocatedResources).toMatchObject({ Shared: { DiskMB: 150 } });
    expect(withRes!.TaskStates).not.toBeNull();
    const [noStates] = await list('?task_states=false');
    expect(noStates!.TaskStates).toBeNull();
    expect(noStates).not.toHaveProperty('AllocatedResources');
    const [both] = await list('?resources=1&task_states=F');
    expect(both!.AllocatedResources).toBeTruthy();
    expect(both!.TaskStates).toBeNull();
  });

  test('task events get their display message', async () => {
    const alloc = mockAlloc({
      TaskStates: { web: { State: 'running', Events: [{ Type: 'Started', Time: 1 }] } as never },
    });
    await seed(server.store, { allocs: [alloc] });
    const { data } = await server.client.allocations.list();
    expect(data[0]!.TaskStates!.web!.Events![0]!.DisplayMessage).toBe('Task started by client');
  });

  test('namespaces: default by default, one by name, all with *, none for an unknown one', async () => {
    const other = mockJob({ Namespace: 'other' });
    const a = mockAlloc();
    const b = mockAlloc({ Job: other, Namespace: 'other' });
    await seed(server.store, { allocs: [a] });
    await seed(server.store, { allocs: [b] });
    const ids = async (namespace?: string) =>
      (await server.client.allocations.list(namespace ? { namespace } : {})).data.map((s) => s.ID);
    expect(await ids()).toEqual([a.ID]);
    expect(await ids('other')).toEqual([b.ID]);
    expect(await ids('*')).toEqual([a.ID, b.ID]);
    expect(await ids('nope')).toEqual([]);
  });

  test('ordered by CreateIndex, reversed with reverse=true, and an update moves nothing', async () => {
    const first = mockAlloc();
    const second = mockAlloc();
    await seed(server.store, { allocs: [first] });
    await seed(server.store, { allocs: [second] });
    await server.client.allocations.stop(first.ID);
    const ids = async (reverse: boolean) =>
      (await server.client.allocations.list({ reverse })).data.map((s) => s.ID);
    expect(await ids(false)).toEqual([first.ID, second.ID]);
    expect(await ids(true)).toEqual([second.ID, first.ID]);
    // Only the exact string `true` reverses.
    const res = await server.inject({ method: 'GET', url: '/v1/allocations?reverse=1' });
    expect((JSON.parse(res.body) as { ID: string }[]).map((s) => s.ID)).toEqual([
      first.ID,
      second.ID,
    ]);
  });

  test('prefix filters by ID, hyphens anywhere, in ID order', async () => {
    const a = mockAlloc({ ID: 'aaaa1111-3350-4b4b-d185-0e1992ed43e9' });
    const b = mockAlloc({ ID: 'aaaa2222-3350-4b4b-d185-0e1992ed43e9' });
    const c = mockAlloc({ ID: 'bbbb1111-3350-4b4b-d185-0e1992ed43e9' });
    await seed(server.store, { allocs: [c, b, a] });
    const ids = async (prefix: string) =>
      (await server.client.allocations.list({ prefix })).data.map((s) => s.ID);
    expect(await ids('aaaa')).toEqual([a.ID, b.ID]);
    expect(await ids('aa-aa11')).toEqual([a.ID]);
    expect(await ids('AAAA22')).toEqual([b.ID]);
    expect(await ids('aaaa1111-33')).toEqual([a.ID]);
    expect(await ids('cc')).toEqual([]);
  });

  test.each([
    ['abc', 'alloc lookup failed: index error: Input (without hyphens) must be even length'],
    [
      'zz',
      "alloc lookup failed: index error: Invalid UUID: encoding/hex: invalid byte: U+007A 'z'",
    ],
    [
      'a'.repeat(38),
      'alloc lookup failed: index error: Invalid UUID length. UUID have 36 characters; got 38',
    ],
    ['a-a-a-a-a-aa', 'alloc lookup failed: index error: UUID should have maximum of 4 "-"; got 5'],
  ])('a malformed prefix %j is a 400', async (prefix, message) => {
    expect(await rejection(server.client.allocations.list({ prefix }))).toEqual({
      status: 400,
      message,
    });
  });

  test('per_page and next_token page through in creation order', async () => {
    const allocs = [0, 1, 2, 3, 4].map(() => mockAlloc());
    const indexes: number[] = [];
    for (const alloc of allocs) indexes.push(await seed(server.store, { allocs: [alloc] }));
    const first = await server.client.allocations.list({ per_page: 2 });
    expect(first.data.map((s) => s.ID)).toEqual([allocs[0]!.ID, allocs[1]!.ID]);
    expect(first.meta.nextToken).toBe(`${indexes[2]}.${allocs[2]!.ID}`);
    const second = await server.client.allocations.list({
      per_page: 2,
      next_token: first.meta.nextToken,
    });
    expect(second.data.map((s) => s.ID)).toEqual([allocs[2]!.ID, allocs[3]!.ID]);
    const last = await server.client.allocations.list({
      per_page: 2,
      next_token: second.meta.nextToken,
    });
    expect(last.data.map((s) => s.ID)).toEqual([allocs[4]!.ID]);
    expect(last.meta.nextToken).toBe('');
  });

  test('with a prefix the next token is the plain ID', async () => {
    const a = mockAlloc({ ID: 'aaaa1111-3350-4b4b-d185-0e1992ed43e9' });
    const b = mockAlloc({ ID: 'aaaa2222-3350-4b4b-d185-0e1992ed43e9' });
    await seed(server.store, { allocs: [a, b] });
    const page = await server.client.allocations.list({ prefix: 'aaaa', per_page: 1 });
    expect(page.meta.nextToken).toBe(b.ID);
  });

  test('filter selects on the full allocation, and a bad one is a 400', async () => {
    const web = mockAlloc();
    const bar = mockAlloc({ TaskGroup: 'bar' });
    await seed(server.store, { allocs: [web, bar] });
    const { data } = await server.client.allocations.list({ filter: 'TaskGroup == "bar"' });
    expect(data.map((s) => s.ID)).toEqual([bar.ID]);
    const { data: byJob } = await server.client.allocations.list({ filter: 'Job.Priority == 50' });
    expect(byJob).toHaveLength(2);
    const parse = await rejection(server.client.allocations.list({ filter: 'TaskGroup ==' }));
    expect(parse.status).toBe(400);
    expect(parse.message).toMatch(
      /^failed to create result paginator: failed to read filter expression: /,
    );
    const missing = await rejection(
      server.client.allocations.list({ filter: 'JobType == "service"' }),
    );
    expect(missing.status).toBe(400);
    expect(missing.message).toMatch(/^failed to read result page: error finding value in datum: /);
  });

  test.each([
    [
      'resources=maybe',
      'Failed to parse value of "resources" (maybe) as a bool: strconv.ParseBool: parsing "maybe": invalid syntax',
    ],
    [
      'task_states=nope',
      'Failed to parse value of "task_states" (nope) as a bool: strconv.ParseBool: parsing "nope": invalid syntax',
    ],
    ['wait=10', 'Invalid wait time'],
    ['wait=10&resources=maybe', 'Invalid wait time'],
    ['index=abc', 'Invalid index'],
    ['index=-1', 'Invalid index'],
    ['stale=maybe', 'Expect `true` or `false` for `stale` query string parameter'],
    ['per_page=abc', 'Expect a number for `per_page` query string parameter'],
  ])("?%s is a 400 with Nomad's text", async (query, message) => {
    const res = await server.inject({ method: 'GET', url: `/v1/allocations?${query}` });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body).toBe(message);
  });

  test('stale without a value, and repeated keys (first wins), are accepted', async () => {
    const res = await server.inject({
      method: 'GET',
      url: '/v1/allocations?stale&namespace=x&namespace=default',
    });
    expect(res.statusCode).toBe(200);
  });

  test('only GET is allowed', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH'] as const) {
      const res = await server.inject({ method, url: '/v1/allocations' });
      expect(res.statusCode, method).toBe(405);
      if (method !== 'HEAD') expect(res.body).toBe('Invalid method');
    }
  });
});

describe('blocking list', () => {
  test('waits for a write past the index, then answers with it', async () => {
    const index = await seed(server.store, { allocs: [mockAlloc()] });
    const started = Date.now();
    const pending = server.client.allocations.list({ index, wait: '10s' });
    setTimeout(() => void seed(server.store, { allocs: [mockAlloc()] }), 50);
    const { data, meta } = await pending;
    expect(meta.lastIndex).toBeGreaterThan(index);
    expect(data).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(9_000);
  });

  test('answers at once when the index is already past', async () => {
    const index = await seed(server.store, { allocs: [mockAlloc()] });
    const { meta } = await server.client.allocations.list({ index: index - 1, wait: '10s' });
    expect(meta.lastIndex).toBe(index);
  });

  test('times out with the same index when nothing changes', async () => {
    const index = await seed(server.store, { allocs: [mockAlloc()] });
    const started = Date.now();
    const { meta } = await server.client.allocations.list({ index, wait: '100ms' });
    expect(meta.lastIndex).toBe(index);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  test('a write to another table does not wake it', async () => {
    const index = await seed(server.store, { allocs: [mockAlloc()] });
    const pending = server.client.allocations.list({ index, wait: '300ms' });
    await seed(server.store, { jobs: [mockJob()] });
    const { meta } = await pending;
    expect(meta.lastIndex).toBe(index);
  });
});
