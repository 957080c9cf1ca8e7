// The deployment reads on a server that makes no deployments: what Nomad answers on a cluster
// that never deployed, with the deployment table's index (0), for the job routes and the
// deployments routes alike.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { failure } from '../../test-support/api-failure.js';
import { startTestServer, type TestServer } from '../../test-support/harness.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
  await server.client.jobs.register({
    ID: 'web',
    Datacenters: ['dc1'],
    TaskGroups: [{ Name: 'web', Tasks: [{ Name: 'web', Driver: 'raw_exec' }] }],
  });
});
afterEach(() => server.close());

describe('GET /v1/job/:id/deployment', () => {
  test('null with 200, for a job that exists and for one that does not', async () => {
    for (const id of ['web', 'nope']) {
      const res = await server.inject({ method: 'GET', url: `/v1/job/${id}/deployment` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toBe('null');
      expect(res.headers['x-nomad-index']).toBe('0');
    }
    const { data, meta } = await server.client.jobs.latestDeployment('web');
    expect(data).toBeNull();
    expect(meta.lastIndex).toBe(0);
  });
});

describe('GET /v1/job/:id/deployments', () => {
  test('an empty list, with or without all', async () => {
    expect((await server.client.jobs.deployments('web')).data).toEqual([]);
    expect((await server.client.jobs.deployments('web', { all: true })).data).toEqual([]);
    const res = await server.inject({ method: 'GET', url: '/v1/job/web/deployments?all=bad' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('[]');
    expect(res.headers['x-nomad-index']).toBe('0');
  });
});

describe('GET /v1/deployments', () => {
  test('an empty list with any namespace, prefix and paging options', async () => {
    const { data, meta } = await server.client.deployments.list({
      namespace: '*',
      prefix: 'ab',
      per_page: 5,
      next_token: '12.ab',
      reverse: true,
      filter: 'Status == "running"',
    });
    expect(data).toEqual([]);
    expect(meta.lastIndex).toBe(0);
    expect(meta.nextToken).toBe('');
  });

  test('a bad filter expression is a 400, as Nomad compiles it before reading', async () => {
    const err = await failure(server.client.deployments.list({ filter: 'Status ==' }));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/^failed to create result paginator: /);
  });

  test('a blocking read past the index waits out its wait time: nothing ever changes', async () => {
    const started = Date.now();
    const { data } = await server.client.deployments.list({ index: 1, wait: '200ms' });
    expect(data).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});

describe('GET /v1/deployment/:id', () => {
  test("404 with Nomad's text and the deployment table's index", async () => {
    const res = await server.inject({
      method: 'GET',
      url: '/v1/deployment/0b3f5bd2-6a54-6b4f-5e7c-cd8a2ee8b8d2',
    });
    expect(res.statusCode).toBe(404);
    expect(res.body).toBe('deployment not found');
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['x-nomad-index']).toBe('0');
    const err = await failure(server.client.deployments.info('0b3f5bd2'));
    expect(err.status).toBe(404);
  });
});
