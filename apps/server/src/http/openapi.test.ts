// The OpenAPI document a user of another language generates a client from: valid OpenAPI 3, and
// describing every route of the contract, each with its own operationId.
import { contract } from '@berth/contract';
import { Validator } from '@seriousme/openapi-schema-validator';
import { isAppRoute, type AppRoute, type AppRouter } from '@ts-rest/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/harness.js';
import { BERTH_VERSION } from '../version.js';

interface Operation {
  operationId?: string;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
}

function routesOf(router: AppRouter): AppRoute[] {
  return Object.values(router).flatMap((entry) => (isAppRoute(entry) ? [entry] : routesOf(entry)));
}

let server: TestServer;
let body: string;
let doc: Document;
beforeAll(async () => {
  server = await startTestServer();
  const res = await server.inject({ method: 'GET', url: '/v1/openapi.json' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json\b/);
  body = res.body;
  doc = JSON.parse(body) as Document;
});
afterAll(() => server.close());

describe('GET /v1/openapi.json', () => {
  test('is a valid OpenAPI 3 document about berth', async () => {
    // A fresh parse of the bytes a user downloads (the validator resolves references in place).
    const result = await new Validator().validate(JSON.parse(body) as Record<string, unknown>);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info).toMatchObject({ title: 'berth', version: BERTH_VERSION });
  });

  test('describes every route of the contract', () => {
    const routes = routesOf(contract);
    expect(routes.length).toBeGreaterThan(0);
    const missing = routes
      .map((route) => ({
        path: route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}'),
        method: route.method.toLowerCase(),
      }))
      .filter(({ path, method }) => doc.paths[path]?.[method] === undefined);
    expect(missing).toEqual([]);
  });

  test('gives each operation its own operationId', () => {
    const ids = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops).map((op) => op.operationId),
    );
    expect(ids.every((id) => typeof id === 'string' && id !== '')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('answers the same bytes every time', async () => {
    const again = await server.inject({ method: 'GET', url: '/v1/openapi.json' });
    expect(JSON.parse(again.body)).toEqual(doc);
  });
});
