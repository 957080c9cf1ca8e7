import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startTestServer, seed, type TestServer } from '../../test-support/harness.js';
import { mockAlloc, mockJob } from '../../test-support/mock.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

describe('POST|PUT /v1/allocation/:id/stop', () => {
  test('creates an alloc-stop evaluation and marks the allocation for migration, in one write', async () => {
    const job = mockJob({ Priority: 70 });
    const alloc = mockAlloc({ Job: job, DesiredTransition: { ForceReschedule: true } as never });
    await seed(server.store, { jobs: [job], allocs: [alloc] });
    const res = await server.inject({ method: 'POST', url: `/v1/allocation/${alloc.ID}/stop` });
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body) as { EvalID: string; Index: number };
    expect(res.headers['x-nomad-index']).toBe(String(body.Index));
    expect(res.headers['x-nomad-knownleader']).toBeUndefined();

    const evaluation = server.store.evalByID(body.EvalID)!;
    expect(evaluation).toMatchObject({
      Namespace: 'default',
      Priority: 70,
      Type: 'service',
      TriggeredBy: 'alloc-stop',
      JobID: job.ID,
      Status: 'pending',
      CreateIndex: body.Index,
      ModifyIndex: body.Index,
    });
    expect(evaluation.JobModifyIndex).toBe(server.store.allocByID(alloc.ID)!.Job!.JobModifyIndex);
    expect(evaluation.CreateTime).toBeGreaterThan(0);

    const stopped = server.store.allocByID(alloc.ID)!;
    expect(stopped.DesiredTransition).toEqual({
      Migrate: true,
      Reschedule: false,
      ForceReschedule: true,
      NoShutdownDelay: false,
      MigrateDisablePlacement: null,
    });
    expect(stopped).toMatchObject({
      ModifyIndex: body.Index,
      AllocModifyIndex: body.Index,
      DesiredStatus: 'run',
      ClientStatus: 'pending',
    });
    expect(server.store.tableIndex('evals')).toBe(body.Index);
    expect(server.store.tableIndex('allocs')).toBe(body.Index);
  });

  test('no_shutdown_delay and reschedule are recorded; PUT works like POST', async () => {
    const alloc = mockAlloc();
    await seed(server.store, { allocs: [alloc] });
    const { data } = await server.client.allocations.stop(alloc.ID, {
      noShutdownDelay: true,
      reschedule: true,
    });
    expect(server.store.allocByID(alloc.ID)!.DesiredTransition).toMatchObject({
      Migrate: true,
      NoShutdownDelay: true,
      Reschedule: true,
    });
    const put = await server.inject({ method: 'PUT', url: `/v1/allocation/${alloc.ID}/stop` });
    expect(put.statusCode).toBe(200);
    expect((JSON.parse(put.body) as { Index: number }).Index).toBeGreaterThan(data.Index);
  });

  test('stopping again makes another evaluation at a higher index', async () => {
    const alloc = mockAlloc();
    await seed(server.store, { allocs: [alloc] });
    const first = await server.client.allocations.stop(alloc.ID);
    const second = await server.client.allocations.stop(alloc.ID);
    expect(second.data.EvalID).not.toBe(first.data.EvalID);
    expect(second.data.Index).toBeGreaterThan(first.data.Index);
    expect(second.meta.lastIndex).toBe(second.data.Index);
  });

  test('an empty JSON body, or any body at all, is ignored', async () => {
    const alloc = mockAlloc();
    await seed(server.store, { allocs: [alloc] });
    for (const payload of ['', '{"x":', 'garbage']) {
      const res = await server.inject({
        method: 'POST',
        url: `/v1/allocation/${alloc.ID}/stop`,
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(res.statusCode, payload).toBe(200);
    }
  });

  test('read options are not parsed on a write', async () => {
    const alloc = mockAlloc();
    await seed(server.store, { allocs: [alloc] });
    const res = await server.inject({
      method: 'POST',
      url: `/v1/allocation/${alloc.ID}/stop?index=abc&wait=x`,
    });
    expect(res.statusCode).toBe(200);
  });

  test.each([
    [
      'no_shutdown_delay=maybe',
      'Failed to parse value of "no_shutdown_delay" (maybe) as a bool: strconv.ParseBool: parsing "maybe": invalid syntax',
    ],
    [
      'reschedule=2',
      'Failed to parse value of "reschedule" (2) as a bool: strconv.ParseBool: parsing "2": invalid syntax',
    ],
  ])('?%s is a 400 and changes nothing', async (query, message) => {
    const alloc = mockAlloc();
    const index = await seed(server.store, { allocs: [alloc] });
    const res = await server.inject({
      method: 'POST',
      url: `/v1/allocation/${alloc.ID}/stop?${query}`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe(message);
    expect(server.store.latestIndex()).toBe(index);
  });

  test('a missing allocation is a 404, a malformed ID a 400', async () => {
    const missing = await server.inject({
      method: 'POST',
      url: '/v1/allocation/a8198d79-cfdb-6593-a999-1e9adabcba2e/stop',
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toBe('allocation not found');
    const malformed = await server.inject({ method: 'POST', url: '/v1/allocation/nope/stop' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).toBe('alloc lookup failed: index error: UUID must be 36 characters');
  });

  test('only POST and PUT are allowed', async () => {
    const alloc = mockAlloc();
    const index = await seed(server.store, { allocs: [alloc] });
    for (const method of ['GET', 'DELETE', 'PATCH'] as const) {
      const res = await server.inject({ method, url: `/v1/allocation/${alloc.ID}/stop` });
      expect(res.statusCode).toBe(405);
      expect(res.body).toBe('Invalid method');
    }
    expect(server.store.latestIndex()).toBe(index);
  });
});
