import { BerthApiError } from '@berth/client';
import { AllocationSchema } from '@berth/contract';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startTestServer, seed, type TestServer } from '../../test-support/harness.js';
import { mockAlloc } from '../../test-support/mock.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const get = (id: string, query = '') =>
  server.inject({ method: 'GET', url: `/v1/allocation/${id}${query}` });

describe('GET /v1/allocation/:id', () => {
  test('answers the full allocation with every field and the job, at its ModifyIndex', async () => {
    const alloc = mockAlloc();
    const index = await seed(server.store, { allocs: [alloc] });
    const res = await get(alloc.ID);
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-nomad-index']).toBe(String(index));
    expect(res.headers['x-nomad-knownleader']).toBe('true');
    expect(res.headers['x-nomad-lastcontact']).toBe('0');
    const body = JSON.parse(res.body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(Object.keys(AllocationSchema.shape).sort());
    expect(body).toMatchObject({
      ID: alloc.ID,
      JobID: alloc.JobID,
      Job: { ID: alloc.JobID, TaskGroups: [{ Name: 'web' }] },
      DeploymentID: '',
      PreemptedAllocations: null,
      CreateIndex: index,
      ModifyIndex: index,
      AllocModifyIndex: index,
    });
  });

  test('the typed client decodes it', async () => {
    const alloc = mockAlloc();
    await seed(server.store, { allocs: [alloc] });
    const { data, meta } = await server.client.allocations.info(alloc.ID);
    expect(data.ID).toBe(alloc.ID);
    expect(meta.lastIndex).toBe(data.ModifyIndex);
  });

  test('allocated ports are canonicalised into Shared.Ports', async () => {
    const alloc = mockAlloc();
    await seed(server.store, { allocs: [alloc] });
    const { data } = await server.client.allocations.info(alloc.ID);
    expect(data.AllocatedResources!.Shared.Ports).toEqual([
      { Label: 'http', Value: 9876, To: 0, HostIP: '192.168.0.100' },
      { Label: 'admin', Value: 5000, To: 0, HostIP: '192.168.0.100' },
    ]);
    // The stored allocation itself is left as it was.
    expect(server.store.allocByID(alloc.ID)!.AllocatedResources!.Shared.Ports).toBeNull();
  });

  test('task events get their display messages', async () => {
    const alloc = mockAlloc({
      TaskStates: {
        web: {
          State: 'dead',
          Events: [
            { Type: 'Received', Time: 1 },
            { Type: 'Terminated', Time: 2, ExitCode: 1, Signal: 9 },
            {
              Type: 'Restarting',
              Time: 3,
              StartDelay: 5_000_000_000,
              RestartReason: 'Restart within policy',
            },
          ],
        },
      } as never,
    });
    await seed(server.store, { allocs: [alloc] });
    const { data } = await server.client.allocations.info(alloc.ID);
    expect(data.TaskStates!.web!.Events!.map((e) => e.DisplayMessage)).toEqual([
      'Task received by client',
      'Exit Code: 1, Signal: 9',
      'Task restarting in 5s',
    ]);
  });

  test('an upper-case ID finds the allocation', async () => {
    const alloc = mockAlloc();
    await seed(server.store, { allocs: [alloc] });
    const res = await get(alloc.ID.toUpperCase());
    expect(res.statusCode).toBe(200);
    expect((JSON.parse(res.body) as { ID: string }).ID).toBe(alloc.ID);
  });

  test('a missing allocation is a 404 that still carries the table index', async () => {
    const index = await seed(server.store, { allocs: [mockAlloc()] });
    const res = await get('a8198d79-cfdb-6593-a999-1e9adabcba2e');
    expect(res.statusCode).toBe(404);
    expect(res.body).toBe('alloc not found');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['x-nomad-index']).toBe(String(index));
    await expect(
      server.client.allocations.info('a8198d79-cfdb-6593-a999-1e9adabcba2e'),
    ).rejects.toThrow(BerthApiError);
  });

  test.each([
    ['short', 'UUID must be 36 characters'],
    [
      'a8198d79-cfdb-6593-a999-1e9adabcba2z',
      "Invalid UUID: encoding/hex: invalid byte: U+007A 'z'",
    ],
  ])('a malformed ID %j is a 400', async (id, detail) => {
    const res = await get(id);
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe(`alloc lookup failed: index error: ${detail}`);
  });

  test('an empty ID is a malformed one', async () => {
    const res = await get('');
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe('alloc lookup failed: index error: UUID must be 36 characters');
  });

  test('query options are validated as for any read', async () => {
    const res = await get('a8198d79-cfdb-6593-a999-1e9adabcba2e', '?wait=x');
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe('Invalid wait time');
  });

  test('only GET is allowed', async () => {
    const alloc = mockAlloc();
    await seed(server.store, { allocs: [alloc] });
    for (const method of ['POST', 'PUT', 'DELETE'] as const) {
      const res = await server.inject({ method, url: `/v1/allocation/${alloc.ID}` });
      expect(res.statusCode).toBe(405);
      expect(res.body).toBe('Invalid method');
    }
  });
});

describe('blocking read', () => {
  test('wakes when the allocation changes', async () => {
    const alloc = mockAlloc();
    const index = await seed(server.store, { allocs: [alloc] });
    const pending = server.client.allocations.info(alloc.ID, { index, wait: '10s' });
    setTimeout(() => void server.client.allocations.stop(alloc.ID), 50);
    const { data, meta } = await pending;
    expect(meta.lastIndex).toBeGreaterThan(index);
    expect(data.DesiredTransition.Migrate).toBe(true);
  });

  test('a change to another allocation does not wake it', async () => {
    const watched = mockAlloc();
    const other = mockAlloc();
    const index = await seed(server.store, { allocs: [watched, other] });
    const pending = server.client.allocations.info(watched.ID, { index, wait: '300ms' });
    await server.client.allocations.stop(other.ID);
    const { meta } = await pending;
    expect(meta.lastIndex).toBe(index);
  });

  test('waits for a missing allocation to appear', async () => {
    const alloc = mockAlloc();
    const index = await seed(server.store, { allocs: [mockAlloc()] });
    const pending = server.inject({
      method: 'GET',
      url: `/v1/allocation/${alloc.ID}?index=${index}&wait=10s`,
    });
    setTimeout(() => void seed(server.store, { allocs: [alloc] }), 50);
    const res = await pending;
    expect(res.statusCode).toBe(200);
  });
});
