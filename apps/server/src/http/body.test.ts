// Request bodies nested deeper than Go's encoding/json decodes are refused before JSON.parse reads
// them, with Go's text in the route's own words for a malformed body; up to that depth a body is
// read as JSON and refused (or not) for what it holds.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/harness.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const TEXT = 'text/plain; charset=utf-8';
const TOO_DEEP = "invalid character '[' exceeded max depth";
const ALLOC_ID = '5ee5c1ba-0f4c-4c27-a1b0-1b9d8a2d4c3e';

/** `{"Job": <arrays>}`: the object is one level, so the whole body nests `arrays + 1` deep. */
const jobNested = (depth: number) => `{"Job":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;

describe('nesting depth', () => {
  test('a job body 10,000 levels deep is read as JSON and refused for what it holds', async () => {
    const res = await server.inject({ method: 'PUT', url: '/v1/jobs', payload: jobNested(10_000) });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe(TEXT);
    expect(res.body).not.toContain('exceeded max depth');
    expect(res.body).toMatch(/cannot unmarshal array/);
  });

  test('a job body 10,001 levels deep is Go’s depth error, bare as the job handlers answer', async () => {
    const before = server.store.latestIndex();
    const res = await server.inject({ method: 'PUT', url: '/v1/jobs', payload: jobNested(10_001) });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe(TEXT);
    expect(res.body).toBe(TOO_DEEP);
    expect(server.store.latestIndex()).toBe(before);
  });

  test('an allocation signal body too deep is prefixed as its other decode errors', async () => {
    const res = await server.inject({
      method: 'POST',
      url: `/v1/client/allocation/${ALLOC_ID}/signal`,
      payload: '['.repeat(10_001),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe(`Failed to decode body: ${TOO_DEEP}`);
  });

  test('a megabyte of opening brackets is refused, and the server answers on', async () => {
    const res = await server.inject({
      method: 'PUT',
      url: '/v1/jobs',
      payload: '['.repeat(1_000_000),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe(TOO_DEEP);
    expect((await server.inject({ method: 'GET', url: '/v1/jobs' })).statusCode).toBe(200);
  });
});
